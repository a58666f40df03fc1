import { describe, expect, it } from "vitest";
import { upstreamRemoval, upstreamRemovalText } from "@/lib/domain/upstream-removal";

const has = (...kernels: string[]) => kernels.map((kernel) => ({ kernel, present: true }));
const lacks = (...kernels: string[]) => kernels.map((kernel) => ({ kernel, present: false }));

describe("upstreamRemoval: where a name went away, as far as the snapshots tell", () => {
  it.each([
    ["still in the newest snapshot", [...has("6.1.0-57-amd64", "6.12.95+deb12-amd64")], null],
    ["in no snapshot", [...lacks("6.1.0-57-amd64", "6.12.95+deb12-amd64")], null],
    ["no snapshots", [], null],
  ])("%s: null", (_, presence, expected) => {
    expect(upstreamRemoval(presence)).toEqual(expected);
  });

  it("bounded by the last snapshot with it and the first without it, in kernel order, whatever the input order", () => {
    const r = upstreamRemoval([...lacks("7.3.4+deb13-amd64", "6.12.95+deb12-amd64", "6.12.107+deb12-amd64"), ...has("6.1.0-57-amd64", "5.10.0-46-amd64", "6.1.0-47-amd64")]);
    expect(r).toEqual({ removedIn: "6.12", after: "6.1", exact: false, firstWithout: "6.12.95+deb12-amd64", lastWith: "6.1.0-57-amd64", snapshots: 6 });
    expect(upstreamRemovalText(r!)).toBe("removed upstream in Linux 6.12 or earlier, after Linux 6.1");
  });

  it("only generic flavours count: an rt or cloud kernel lacks exports by configuration", () => {
    expect(upstreamRemoval([...has("6.1.0-57-amd64", "6.12.95+deb12-amd64"), ...lacks("6.12.107+deb12-cloud-amd64")])).toBeNull();
    expect(upstreamRemoval([...has("6.1.0-56-rt-amd64", "6.12.95+deb12-cloud-amd64"), ...lacks("6.1.0-57-amd64")])).toBeNull();
  });

  it("exact when nothing lies between: the next minor release", () => {
    const r = upstreamRemoval([...has("6.7.12"), ...lacks("6.8.1", "6.9")]);
    expect(r).toMatchObject({ removedIn: "6.8", after: "6.7", exact: true, firstWithout: "6.8.1", lastWith: "6.7.12" });
    expect(upstreamRemovalText(r!)).toBe("removed upstream in Linux 6.8");
  });

  it("a name that came back is judged by its last disappearance", () => {
    expect(upstreamRemoval([...has("6.1.0-57-amd64"), ...lacks("6.12.95+deb12-amd64"), ...has("7.2.6+deb13-amd64"), ...lacks("7.3.4+deb13-amd64")])).toMatchObject({
      lastWith: "7.2.6+deb13-amd64",
      firstWithout: "7.3.4+deb13-amd64",
      exact: true,
    });
  });
});
