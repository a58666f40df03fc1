import { describe, expect, it } from "vitest";
import { bisectKernels } from "../../lib/runner/bisect";
import type { Status } from "../../lib/domain/status";

/** A fake builder: kernels 0..n-1; passes before `firstBad`, fails from it; `odd` overrides some. */
function fakeBuilder(firstBad: number, odd: Record<number, Status> = {}) {
  const built: number[] = [];
  const probe = async (k: number): Promise<Status> => {
    built.push(k);
    return odd[k] ?? (k < firstBad ? "pass" : "fail");
  };
  return { probe, built };
}
const abis = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("bisectKernels", () => {
  it.each([
    [7, 1],
    [7, 3],
    [7, 6],
    [11, 5],
    [64, 37],
    [2, 1],
  ])("finds first bad %#: %i ABIs, first bad %i, in about log2(n) builds", async (n, firstBad) => {
    const b = fakeBuilder(firstBad);
    const out = await bisectKernels(abis(n), b.probe);
    expect(out).toMatchObject({ lastSame: firstBad - 1, firstChanged: firstBad });
    expect(b.built.length).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(Math.max(1, n - 2))));
    expect(new Set(b.built).size).toBe(b.built.length);
  });

  it("finds a fix (fail → pass) the same way", async () => {
    const probe = async (k: number): Promise<Status> => (k < 4 ? "fail" : "pass");
    expect(await bisectKernels(abis(9), probe)).toMatchObject({ lastSame: 3, firstChanged: 4 });
  });

  it("does nothing more when the ends agree or one is not decisive", async () => {
    for (const [first, last] of [["pass", "pass"], ["fail", "fail"], ["error", "fail"], ["pass", "skip"]] as const) {
      const b = { built: 0 };
      const out = await bisectKernels(abis(8), async (k) => {
        b.built++;
        return k === 0 ? first : k === 7 ? last : "pass";
      });
      expect(out).toBeNull();
      expect(b.built).toBe(2);
    }
  });

  it("steps over error and skip results and still ends on a decisive adjacent pair", async () => {
    const b = fakeBuilder(5, { 3: "error", 4: "skip" });
    const out = await bisectKernels(abis(9), b.probe);
    expect(out).toMatchObject({ firstChanged: 5 });
    expect(out!.lastSame).toBe(2);
    expect(out!.probes.find((p) => p.kernel === 3)?.status).toBe("error");
  });

  it("needs two kernels", async () => {
    expect(await bisectKernels([1], async () => "pass")).toBeNull();
  });
});
