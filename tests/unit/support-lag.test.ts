import { describe, expect, it } from "vitest";
import { nextMainlineSeries, seriesReleaseDate, supportLag, type LagVersion } from "../../lib/domain/support-lag";
import { LINUX_RELEASES } from "../../lib/data/linux-releases";
import { compareSeries } from "../../lib/domain/kernel-version";

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const v = (version: string, releasedAt: string | null, passesOn: string[], max: string | null = null, min: string | null = null): LagVersion => ({
  version,
  releasedAt: releasedAt ? d(releasedAt) : null,
  declaredKernelMin: min,
  declaredKernelMax: max,
  passesOn,
});

describe("linux release table", () => {
  it("has one row per series, in series order, with real dates", () => {
    const series = LINUX_RELEASES.map((r) => r.series);
    expect(new Set(series).size).toBe(series.length);
    expect([...series].sort(compareSeries)).toEqual(series);
    expect(seriesReleaseDate("6.8")).toEqual(d("2024-03-10"));
    expect(seriesReleaseDate("6.12")).toEqual(d("2024-11-17"));
    expect(seriesReleaseDate("9.9")).toBeNull();
  });
});

describe("supportLag", () => {
  it("counts days from the kernel release to the first release that passes, and to the first that declares it", () => {
    const rows = supportLag({
      series: ["6.8", "6.7"],
      versions: [
        v("2.2.2", "2023-12-01", ["6.7"], "6.7"),
        v("2.2.2+git20240325", null, ["6.8"], "6.8"),
        v("2.2.3", "2024-06-01", ["6.7", "6.8"], "6.7"),
        v("2.2.4", "2024-07-01", ["6.8"], "6.8"),
      ],
    });
    expect(rows.map((r) => r.series)).toEqual(["6.7", "6.8"]);
    const [r67, r68] = rows;
    // 6.7 came out 2024-01-07; 2.2.2 was ready before it
    expect(r67.firstPassing).toMatchObject({ version: "2.2.2", lagDays: 0, readyBeforeKernel: true, uncertain: false });
    // snapshots are not releases: 6.8 (2024-03-10) waited for 2.2.3 (2024-06-01)
    expect(r68.firstPassing).toMatchObject({ version: "2.2.3", lagDays: 83, readyBeforeKernel: false });
    expect(r68.firstDeclaring).toMatchObject({ version: "2.2.4", lagDays: 113 });
  });
  it("says unknown rather than guessing when release dates are missing", () => {
    const [row] = supportLag({ series: ["6.12"], versions: [v("0.12.7", null, ["6.1"]), v("0.13.2", null, ["6.12"]), v("0.13.3", null, ["6.12"])] });
    expect(row.kernelReleasedAt).toEqual(d("2024-11-17"));
    expect(row.firstPassing).toEqual({ version: "0.13.2", releasedAt: null, lagDays: null, readyBeforeKernel: null, uncertain: true });
    expect(row.firstDeclaring).toBeNull();
  });
  it("knows no release date for a series outside the table", () => {
    const [row] = supportLag({ series: ["9.1"], versions: [v("1.0", "2030-01-01", ["9.1"])] });
    expect(row.kernelReleasedAt).toBeNull();
    expect(row.firstPassing?.lagDays).toBeNull();
  });
});

describe("nextMainlineSeries", () => {
  it.each([
    ["6.7", "6.8"],
    ["2.6.39", "3.0"],
    ["6.19", "7.0"],
    ["7.2", null],
    ["1.0", null],
  ])("%s → %s", (s, want) => {
    expect(nextMainlineSeries(s)).toBe(want);
  });
});
