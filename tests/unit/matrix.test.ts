import { describe, expect, it } from "vitest";
import { countsLabel, decodeCounts, encodeCounts, foldArches, summariseGroup, summaryText } from "../../lib/domain/matrix";
import { computeHeadline, modulesThatBuild } from "../../lib/domain/headline";
import type { Status } from "../../lib/domain/status";

describe("summariseGroup: a series column over its kernels", () => {
  it.each<[Status[], string]>([
    [[], "none"],
    [["pass", "pass"], "pass"],
    [["pass", "pass", "skip"], "pass"],
    [["pass", "error"], "pass"],
    [["fail", "fail"], "fail"],
    [["fail", "skip"], "fail"],
    [["pass", "fail"], "mixed"],
    [["pass", "fail", "skip", "error"], "mixed"],
    [["skip", "error"], "skip"],
    [["error", "error"], "error"],
  ])("%j → %s", (statuses, headline) => {
    const s = summariseGroup(statuses);
    expect(s.headline).toBe(headline);
    expect(s.total).toBe(statuses.length);
    expect(s.counts.pass + s.counts.fail + s.counts.error + s.counts.skip).toBe(statuses.length);
  });

  it("labels counts in status order, leaving out zeros", () => {
    expect(countsLabel(summariseGroup(["fail", "pass", "pass", "skip"]).counts)).toBe("2 pass, 1 fail, 1 skip");
  });
});

describe("summaryText: a series summary counts pass and fail only, skip and error apart", () => {
  it.each<[Status[], string, string]>([
    [[], "·", "none"],
    // issue 12: zfs 2.1.11 on 6.1 read "✓ 3" for 2 passes and 1 skip
    [["pass", "pass", "skip"], "✓ 2 · – 1", "pass"],
    // v4l2loopback on 6.12 read "✓ 7" / "✗ 7", each hiding a skip
    [["pass", "pass", "pass", "pass", "pass", "pass", "skip"], "✓ 6 · – 1", "pass"],
    [["fail", "fail", "fail", "fail", "fail", "fail", "skip"], "✗ 6 · – 1", "fail"],
    // the large module read "✓ 20" for 19 passes and 1 error
    [[...Array<Status>(19).fill("pass"), "error"], "✓ 19 · ! 1", "pass"],
    [["pass", "fail", "fail"], "✓ 1 ✗ 2", "mixed"],
    [["pass", "fail", "skip", "error"], "✓ 1 ✗ 1 · – 1 · ! 1", "mixed"],
    [["skip", "skip"], "– 2", "skip"],
    [["skip", "error"], "– 1 · ! 1", "skip"],
    [["error"], "! 1", "error"],
  ])("%j → %s (%s)", (statuses, text, headline) => {
    const s = summariseGroup(statuses);
    expect(summaryText(s)).toBe(text);
    expect(s.headline).toBe(headline);
    // The grid's compact props say the same.
    expect(decodeCounts(encodeCounts(s.counts))).toEqual(s);
  });
});

describe("foldArches: one version × kernel over several arches", () => {
  it.each<[Status[], Status | null]>([
    [["pass", "fail"], "fail"],
    [["pass", "error"], "pass"],
    [["skip", "pass"], "skip"],
    [["error"], "error"],
    [[], null],
  ])("%j → %s", (statuses, folded) => expect(foldArches(statuses)).toBe(folded));
});

describe("computeHeadline: of the modules that build on A, how many still build on B", () => {
  const A = "6.1.0-56-amd64";
  const B = "6.12.107+deb12-amd64";
  const h = computeHeadline(
    [
      { module: "acpi-call", kernel: A, status: "pass" },
      { module: "acpi-call", kernel: B, status: "pass" },
      // an old version fails on B but a newer one passes: the module still builds
      { module: "v4l2loopback", kernel: A, status: "pass" },
      { module: "v4l2loopback", kernel: B, status: "fail" },
      { module: "v4l2loopback", kernel: B, status: "pass" },
      { module: "evdi", kernel: A, status: "pass" },
      { module: "evdi", kernel: B, status: "fail" },
      { module: "zfs", kernel: A, status: "pass" },
      { module: "zfs", kernel: B, status: "skip" },
      // never built on A: not counted at all
      { module: "newmod", kernel: B, status: "pass" },
    ],
    A,
    B,
  );
  it("counts modules, not versions", () => {
    expect(h.buildOnFrom).toEqual(["acpi-call", "evdi", "v4l2loopback", "zfs"]);
    expect(h.stillBuild).toEqual(["acpi-call", "v4l2loopback"]);
    expect(h.broken).toEqual(["evdi"]);
    expect(h.undetermined).toEqual(["zfs"]);
  });
});

// issue 12: the synthetic headline said "Of the 1 modules".
describe("modulesThatBuild: the headline's noun agrees with its count", () => {
  it.each<[number, string, string]>([
    [1, "module that builds", "still builds"],
    [0, "modules that build", "still build"],
    [3, "modules that build", "still build"],
  ])("%d → %s … %s", (n, noun, verb) => expect(modulesThatBuild(n)).toEqual({ noun, verb }));
});
