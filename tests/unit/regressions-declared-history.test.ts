import { describe, expect, it } from "vitest";
import { declaredDisagreement, declaredPosition, type DeclaredPosition } from "../../lib/domain/declared-range";
import { passRateOverTime, timeToFixHistogram } from "../../lib/domain/history";
import type { Status } from "../../lib/domain/status";

describe("declaredPosition", () => {
  const table: [kernel: string, min: string | null, max: string | null, want: DeclaredPosition][] = [
    ["6.12.107+deb12-amd64", "4.18", "6.17", "inside"],
    ["6.18.1", "4.18", "6.17", "outside"],
    ["6.17.9", "4.18", "6.17", "inside"],
    ["4.14.300", "4.18", null, "outside"],
    ["6.1.0-56-amd64", null, "6.1", "inside"],
    ["6.1.0-56-amd64", null, "6.0.5", "outside"],
    ["6.12.5", null, "6.12.4", "outside"],
    ["6.12", null, null, "unknown"],
    ["6.12", "not-a-version", null, "unknown"],
    ["next-20240610", "4.18", null, "unknown"],
  ];
  it.each(table)("%s in [%s, %s] is %s", (kernel, min, max, want) => {
    expect(declaredPosition(kernel, { min, max })).toBe(want);
  });
  it.each([
    ["inside", "fail", "declared-but-fails"],
    ["outside", "pass", "undeclared-but-passes"],
    ["inside", "pass", null],
    ["outside", "fail", null],
    ["outside", "skip", null],
    ["inside", "error", null],
    ["unknown", "fail", null],
  ] as [DeclaredPosition, Status, string | null][])("%s + %s → %s", (pos, status, want) => {
    expect(declaredDisagreement(pos, status)).toBe(want);
  });
});

describe("passRateOverTime", () => {
  const at = (s: string) => new Date(`${s}T10:00:00Z`);
  it("buckets by day and ignores errors and skips in the rate", () => {
    const s = passRateOverTime([
      { at: at("2024-01-01"), status: "pass" },
      { at: at("2024-01-01"), status: "fail" },
      { at: at("2024-01-01"), status: "error" },
      { at: at("2024-01-03"), status: "skip" },
    ]);
    expect(s.bucket).toBe("day");
    expect(s.points).toEqual([
      { start: "2024-01-01", pass: 1, fail: 1, rate: 0.5 },
      { start: "2024-01-03", pass: 0, fail: 0, rate: null },
    ]);
  });
  it("switches to weeks starting on Monday for long spans", () => {
    const s = passRateOverTime([
      { at: at("2024-01-03"), status: "pass" },
      { at: at("2024-01-07"), status: "fail" },
      { at: at("2024-12-31"), status: "pass" },
    ]);
    expect(s.bucket).toBe("week");
    expect(s.points.map((p) => [p.start, p.pass, p.fail])).toEqual([
      ["2024-01-01", 1, 1],
      ["2024-12-30", 1, 0],
    ]);
  });
});

describe("timeToFixHistogram", () => {
  it("buckets known times and counts open and unknown ones apart", () => {
    const h = timeToFixHistogram([
      { status: "fixed", timeToFixDays: 0.2 },
      { status: "fixed", timeToFixDays: 70 },
      { status: "fixed", timeToFixDays: 400 },
      { status: "fixed", timeToFixDays: null },
      { status: "open", timeToFixDays: null },
    ]);
    expect(h.buckets.filter((b) => b.count > 0)).toEqual([
      { label: "< 1 day", count: 1 },
      { label: "1–3 months", count: 1 },
      { label: "> 1 year", count: 1 },
    ]);
    expect([h.unknown, h.open]).toEqual([1, 1]);
  });
});
