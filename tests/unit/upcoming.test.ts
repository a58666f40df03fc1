import { describe, expect, it } from "vitest";
import { upcomingHeadline, upcomingReport, type UpcomingCell } from "../../lib/domain/upcoming";
import { parseKernelVersion } from "../../lib/domain/kernel-version";
import type { Status } from "../../lib/domain/status";

const RC = "7.3-rc7-amd64";
const c = (module: string, version: string, kernel: string, status: Status, errorLine: string | null = null): UpcomingCell => {
  const k = parseKernelVersion(kernel);
  return { module, version, kernel, series: k.series, upcoming: k.rc !== null, status, errorLine };
};

describe("upcomingReport", () => {
  const cells = [
    // builds on 7.2, breaks on the rc
    c("v4l2loopback", "0.15.4", "7.2.13+deb14-amd64", "pass"),
    c("v4l2loopback", "0.15.4", RC, "fail", "error: implicit declaration of function 'del_timer_sync'"),
    // an older version that passes on 7.2 too: the newest with a verdict on the rc decides
    c("evdi", "1.14.8", "7.2.6+deb13-amd64", "pass"),
    c("evdi", "1.15.1", "7.2.12+deb13-amd64", "pass"),
    c("evdi", "1.14.8", RC, "fail", "error: x"),
    c("evdi", "1.15.1", RC, "pass"),
    // declines the rc (declared maximum)
    c("zfs", "2.4.4", "7.2.13+deb14-amd64", "pass"),
    c("zfs", "2.4.4", RC, "skip", "maximum supported kernel version is 7.2"),
    // builds on 7.2, never built on the rc
    c("ddcci", "0.4.5", "7.2.13+deb14-amd64", "pass"),
    // fails on 7.2 already: not among the M
    c("iet", "1.4.20", "7.2.13+deb14-amd64", "fail", "error: 'PAGE_CACHE_SHIFT' undeclared"),
    c("iet", "1.4.20", RC, "fail", "error: 'PAGE_CACHE_SHIFT' undeclared"),
    // 7.3.4 released is newer than 7.2 but is the rc's own series: never the base
    c("ddcci", "0.4.5", "7.3.4+deb13-amd64", "pass"),
    c("old", "1.0", "6.12.117+deb13-amd64", "pass"),
  ];

  it("compares with the newest released series before the rc's own", () => {
    const r = upcomingReport({ kernel: RC, series: "7.3" }, cells.filter((x) => !x.upcoming), cells);
    expect(r).toMatchObject({ baseSeries: "7.2", releasedSince: "7.3.4+deb13-amd64", buildOnBase: 4, counts: { breaks: 1, builds: 1, declines: 1, "not-built": 1 } });
    expect(r.modules.map((m) => [m.module, m.version, m.outcome])).toEqual([
      ["v4l2loopback", "0.15.4", "breaks"],
      ["zfs", "2.4.4", "declines"],
      ["ddcci", "0.4.5", "not-built"],
      ["evdi", "1.15.1", "builds"],
    ]);
    expect(r.modules[0]).toMatchObject({ basePass: "7.2.13+deb14-amd64", signature: { symbol: "del_timer_sync" } });
    expect(upcomingHeadline(r, "Linux 7.3-rc7")).toBe("On Linux 7.3-rc7, 1 of the 4 modules that build on 7.2 breaks (3 of them built on it so far)");
  });

  it("with nothing released before it, says so", () => {
    const r = upcomingReport({ kernel: RC, series: "7.3" }, [], [c("a", "1", RC, "fail", "e")]);
    expect(r).toMatchObject({ baseSeries: null, buildOnBase: 0, modules: [] });
    expect(upcomingHeadline(r, "Linux 7.3-rc7")).toBe("On Linux 7.3-rc7: no released series before it has results to compare with");
  });
});
