import { describe, expect, it } from "vitest";
import { supportSentence, supportState, type SupportCell, type SupportState } from "../../lib/domain/support-state";
import type { Status } from "../../lib/domain/status";
import { parseKernelVersion } from "../../lib/domain/kernel-version";

const c = (kernel: string, status: Status, prerelease = false): SupportCell => {
  const k = parseKernelVersion(kernel);
  return { kernel, series: k.series, rc: k.rc, prerelease, status };
};

const K510 = "5.10.0-32-amd64";
const K61 = "6.1.0-56-amd64";
const K612 = "6.12.117+deb13-amd64";
const K72 = "7.2.13+deb14-amd64";
const K73 = "7.3.4+deb13-amd64";
const RC = "7.3-rc7-amd64";

describe("supportState", () => {
  const table: [string, SupportCell[], SupportState, string | null, string[]][] = [
    ["passes on the newest series", [c(K61, "pass"), c(K612, "pass"), c(K73, "pass")], "current", K73, []],
    ["fails on the newest series only: behind", [c(K61, "pass"), c(K612, "pass"), c(K72, "pass"), c(K73, "fail")], "behind", K72, ["7.3"]],
    ["fails on two newer series: orphaned", [c(K510, "pass"), c(K61, "pass"), c(K612, "fail"), c(K72, "fail"), c(K73, "fail")], "orphaned", K61, ["6.12", "7.2", "7.3"]],
    ["IET: fails everywhere", [c(K510, "fail"), c(K61, "fail"), c(K73, "fail")], "orphaned", null, ["5.10", "6.1", "7.3"]],
    ["a series with one pass among fails is not failing", [c(K612, "pass"), c("6.12.107+deb12-amd64", "fail"), c(K72, "pass")], "current", K72, []],
    ["an rc failure is an early warning, not orphaning", [c(K61, "pass"), c(K72, "pass"), c(RC, "fail")], "current", K72, []],
    ["an experimental kernel flagged prerelease counts as upcoming", [c(K61, "pass"), c("7.4.0-1-amd64", "fail", true)], "current", K61, []],
    ["skips and errors say nothing", [c(K61, "pass"), c(K72, "skip"), c(K73, "error")], "current", K61, []],
    ["no verdict at all", [c(K61, "error")], "untested", null, []],
    // issue 12: "Newest kernel it builds on: 6.1.0-56-rt-amd64" for 17 modules
    ["a newer rt build does not outrank the generic one", [c(K61, "pass"), c("6.1.0-57-rt-amd64", "pass")], "current", K61, []],
    ["a cloud failure on a newer series does not make it behind", [c(K61, "pass"), c("6.12.117+deb13-cloud-amd64", "fail")], "current", K61, []],
    ["only rt results: judged on those", [c("6.1.0-56-rt-amd64", "pass")], "current", "6.1.0-56-rt-amd64", []],
    ["the plain flavour of the newest passing build is named", [c("6.1.0-56-rt-amd64", "pass"), c(K61, "pass"), c("6.1.0-56-cloud-amd64", "pass")], "current", K61, []],
  ];
  it.each(table)("%s", (_name, cells, state, last, failing) => {
    const v = supportState({ version: "1.0", cells });
    expect({ state: v.state, last: v.lastKernel, failing: v.failingSeries }).toEqual({ state, last, failing });
  });

  it("says so honestly when nothing built here works", () => {
    const v = supportState({ version: "trunk-r273", cells: [c(K510, "fail"), c(K73, "fail")] });
    expect(supportSentence(v)).toBe("trunk-r273 fails on every kernel built here (5.10 to 7.3): the last kernel it built on is older than anything built here");
    expect(supportSentence(supportState({ version: null, cells: [] }))).toBe("no version was built here yet");
  });
});
