import { describe, expect, it } from "vitest";
import { foldCell, worstStatus, type FoldInput, type Stage, type Status } from "@/lib/domain/status";

/** A result at minute `t` after a fixed origin; ids follow the order of the table unless given. */
function r(id: number, stage: Stage, status: Status, t: number, extra: Partial<FoldInput> = {}): FoldInput {
  return {
    id,
    stage,
    status,
    finishedAt: new Date(Date.UTC(2025, 0, 1, 0, t)),
    errorLine: status === "pass" ? null : `${status} in ${stage} #${id}`,
    logUrl: `https://logs.example/${id}`,
    ...extra,
  };
}

describe("worstStatus", () => {
  it.each<[Status[], Status | null]>([
    [[], null],
    [["error"], "error"],
    [["error", "pass"], "pass"],
    [["pass", "skip"], "skip"],
    [["skip", "fail", "pass"], "fail"],
    [["fail", "error"], "fail"],
    [["error", "error", "skip"], "skip"],
  ])("%j → %s", (input, expected) => {
    expect(worstStatus(input)).toBe(expected);
  });
});

describe("foldCell: status and stages", () => {
  it("returns null for no results", () => {
    expect(foldCell([])).toBeNull();
  });

  it.each<[string, FoldInput[], Status, Partial<Record<Stage, Status>>]>([
    ["a single pass", [r(1, "build", "pass", 0)], "pass", { build: "pass" }],
    ["a single fail", [r(1, "build", "fail", 0)], "fail", { build: "fail" }],
    ["a single skip", [r(1, "build", "skip", 0)], "skip", { build: "skip" }],
    ["only errors", [r(1, "build", "error", 0), r(2, "build", "error", 1)], "error", { build: "error" }],
    ["a later error keeps the earlier pass", [r(1, "build", "pass", 0), r(2, "build", "error", 5)], "pass", { build: "pass" }],
    ["a later error keeps the earlier fail", [r(1, "build", "fail", 0), r(2, "build", "error", 5)], "fail", { build: "fail" }],
    ["a later pass replaces an earlier fail", [r(1, "build", "fail", 0), r(2, "build", "pass", 5)], "pass", { build: "pass" }],
    ["a later fail replaces an earlier pass", [r(1, "build", "pass", 0), r(2, "build", "fail", 5)], "fail", { build: "fail" }],
    ["an error before a pass changes nothing", [r(1, "build", "error", 0), r(2, "build", "pass", 5)], "pass", { build: "pass" }],
    [
      "the newest meaningful result wins even between errors",
      [r(1, "build", "fail", 0), r(2, "build", "error", 1), r(3, "build", "pass", 2), r(4, "build", "error", 3)],
      "pass",
      { build: "pass" },
    ],
    ["fail beats pass across stages", [r(1, "build", "pass", 0), r(2, "load", "fail", 1)], "fail", { build: "pass", load: "fail" }],
    ["skip beats pass across stages", [r(1, "build", "pass", 0), r(2, "test", "skip", 1)], "skip", { build: "pass", test: "skip" }],
    ["fail beats skip across stages", [r(1, "build", "skip", 0), r(2, "load", "fail", 1)], "fail", { build: "skip", load: "fail" }],
    ["pass beats error across stages", [r(1, "build", "pass", 0), r(2, "load", "error", 1)], "pass", { build: "pass", load: "error" }],
    [
      "every stage, worst-first",
      [r(1, "build", "pass", 0), r(2, "install", "pass", 1), r(3, "load", "skip", 2), r(4, "test", "error", 3)],
      "skip",
      { build: "pass", install: "pass", load: "skip", test: "error" },
    ],
    // Order of the input must not matter: only finishedAt (then id) decides which result is newest.
    ["input order is irrelevant", [r(2, "build", "fail", 5), r(1, "build", "pass", 0)], "fail", { build: "fail" }],
  ])("%s", (_name, input, status, stages) => {
    const folded = foldCell(input)!;
    expect(folded.status).toBe(status);
    expect(folded.stages).toEqual(stages);
  });

  it("breaks a tie of finishedAt by the higher id", () => {
    const same = new Date("2025-01-01T00:00:00Z");
    const folded = foldCell([r(7, "build", "pass", 0, { finishedAt: same }), r(8, "build", "fail", 0, { finishedAt: same })])!;
    expect(folded.status).toBe("fail");
    expect(folded.lastResultId).toBe(8);
    expect(foldCell([r(8, "build", "pass", 0, { finishedAt: same }), r(7, "build", "fail", 0, { finishedAt: same })])!.status).toBe("pass");
  });
});

describe("foldCell: counts, last result, error line", () => {
  const history = [
    r(10, "build", "fail", 0),
    r(11, "build", "error", 1),
    r(12, "build", "pass", 2),
    r(13, "load", "skip", 3),
    r(14, "build", "error", 4),
    r(15, "build", "pass", 1), // older than #12 although its id is higher
  ];

  it("counts every raw result by status, errors included", () => {
    const f = foldCell(history)!;
    expect([f.passCount, f.failCount, f.errorCount, f.skipCount]).toEqual([2, 1, 2, 1]);
  });

  it("points at the newest result, even when that one is an error", () => {
    const f = foldCell(history)!;
    expect(f.lastResultId).toBe(14);
    expect(f.lastResultAt).toEqual(new Date(Date.UTC(2025, 0, 1, 0, 4)));
  });

  it("takes error line and log from the result that decided the status", () => {
    const f = foldCell(history)!;
    expect(f.status).toBe("skip");
    expect(f.errorLine).toBe("skip in load #13");
    expect(f.logUrl).toBe("https://logs.example/13");
  });

  it("has no error line for a pass, even when an older fail had one", () => {
    const f = foldCell([r(1, "build", "fail", 0), r(2, "build", "pass", 1, { errorLine: "stale" })])!;
    expect(f.status).toBe("pass");
    expect(f.errorLine).toBeNull();
    expect(f.logUrl).toBe("https://logs.example/2");
  });

  it("keeps the fail's error line when a later error does not erase it", () => {
    const f = foldCell([r(1, "build", "fail", 0, { errorLine: "implicit declaration of function 'strlcpy'" }), r(2, "build", "error", 3)])!;
    expect(f.status).toBe("fail");
    expect(f.errorLine).toBe("implicit declaration of function 'strlcpy'");
    expect(f.lastResultId).toBe(2);
  });

  it("shows the error's own line when errors are all there is", () => {
    const f = foldCell([r(1, "build", "error", 0, { errorLine: "kernel headers missing" })])!;
    expect(f.status).toBe("error");
    expect(f.errorLine).toBe("kernel headers missing");
    expect([f.passCount, f.failCount, f.errorCount, f.skipCount]).toEqual([0, 0, 1, 0]);
  });
});
