import { compareKernels, compareSeries } from "./kernel-version";
import { compareModuleVersions } from "./module-version";
import { extractSignature, type Signature } from "./signature";
import type { Status } from "./status";

/**
 * Early warning: on an upcoming kernel (lib/domain/kernel-release.ts isUpcoming), which of the
 * modules that build on the last released series break? "On Linux 7.3-rc7, N of the M modules
 * that build on 7.2 break."
 *
 * The base is the newest series older than the upcoming kernel's own series that has results on
 * released (not upcoming) kernels: for 7.3-rc7 that is 7.2, even when 7.3.4 was built too. The M
 * modules are those with a version that passes on some kernel of the base series. For each, the
 * newest such version with a verdict (pass, fail or skip) on the upcoming kernel decides: fail →
 * breaks, pass → builds, skip → declines it; no such verdict → not built on the upcoming kernel.
 * Pure; the page, the landing section, the JSON and the Atom feed all call it.
 */

export const UPCOMING_OUTCOMES = ["breaks", "builds", "declines", "not-built"] as const;
export type UpcomingOutcome = (typeof UPCOMING_OUTCOMES)[number];

export interface UpcomingCell {
  module: string;
  version: string;
  kernel: string;
  series: string;
  upcoming: boolean;
  status: Status;
  errorLine: string | null;
}

export interface UpcomingModule {
  module: string;
  /** the version judged on the upcoming kernel (or, when none was built there, the newest passing on the base) */
  version: string;
  /** newest base-series kernel on which that version passes */
  basePass: string | null;
  outcome: UpcomingOutcome;
  errorLine: string | null;
  signature: Signature | null;
}

export interface UpcomingReport {
  kernel: string;
  series: string;
  /** the newest released series before it, or null when none has results */
  baseSeries: string | null;
  /** a released kernel of the same series already built here (7.3.4 next to 7.3-rc7), if any */
  releasedSince: string | null;
  /** M: modules that build on the base series */
  buildOnBase: number;
  counts: Record<UpcomingOutcome, number>;
  /** breaks first, then declines, not built, builds; by module within each */
  modules: UpcomingModule[];
}

const ORDER: Record<UpcomingOutcome, number> = { breaks: 0, declines: 1, "not-built": 2, builds: 3 };

/**
 * `released` are the released (not upcoming) kernels that have results, whatever the module; they
 * decide the base series. `cells` need only hold the upcoming kernel's and the base series' cells.
 */
export function upcomingReport(
  target: { kernel: string; series: string },
  released: readonly { kernel: string; series: string }[],
  cells: readonly UpcomingCell[],
): UpcomingReport {
  const baseSeries =
    [...new Set(released.map((c) => c.series))].filter((s) => compareSeries(s, target.series) < 0).sort(compareSeries).at(-1) ?? null;
  const releasedSince = released.filter((c) => c.series === target.series).map((c) => c.kernel).sort(compareKernels).at(0) ?? null;

  const byModule = new Map<string, UpcomingCell[]>();
  for (const c of cells) byModule.set(c.module, [...(byModule.get(c.module) ?? []), c]);
  const modules: UpcomingModule[] = [];
  for (const [module, list] of byModule) {
    if (!baseSeries) break;
    const passesOnBase = new Map<string, string>();
    for (const c of list) {
      if (c.upcoming || c.series !== baseSeries || c.status !== "pass") continue;
      const held = passesOnBase.get(c.version);
      if (!held || compareKernels(c.kernel, held) > 0) passesOnBase.set(c.version, c.kernel);
    }
    if (passesOnBase.size === 0) continue;
    const newestFirst = [...passesOnBase.keys()].sort((a, b) => compareModuleVersions(b, a));
    const onTarget = (v: string) => list.find((c) => c.kernel === target.kernel && c.version === v && (c.status === "pass" || c.status === "fail" || c.status === "skip"));
    const judged = newestFirst.find((v) => onTarget(v)) ?? null;
    const cell = judged ? onTarget(judged)! : null;
    const outcome: UpcomingOutcome = !cell ? "not-built" : cell.status === "fail" ? "breaks" : cell.status === "skip" ? "declines" : "builds";
    const version = judged ?? newestFirst[0];
    const errorLine = cell && cell.status !== "pass" ? cell.errorLine : null;
    modules.push({ module, version, basePass: passesOnBase.get(version) ?? null, outcome, errorLine, signature: outcome === "breaks" ? extractSignature(errorLine) : null });
  }
  modules.sort((a, b) => ORDER[a.outcome] - ORDER[b.outcome] || (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
  const counts = { breaks: 0, builds: 0, declines: 0, "not-built": 0 } as Record<UpcomingOutcome, number>;
  for (const m of modules) counts[m.outcome] += 1;
  return { kernel: target.kernel, series: target.series, baseSeries, releasedSince, buildOnBase: modules.length, counts, modules };
}

/** "On Linux 7.3-rc7, 5 of the 31 modules that build on 7.2 break" (the headline of the page, the landing section and the feed). */
export function upcomingHeadline(r: Pick<UpcomingReport, "baseSeries" | "buildOnBase" | "counts">, name: string): string {
  if (!r.baseSeries) return `On ${name}: no released series before it has results to compare with`;
  if (r.buildOnBase === 0) return `On ${name}: no module builds on ${r.baseSeries}, so there is nothing to compare`;
  const built = r.buildOnBase - r.counts["not-built"];
  const tail = r.counts["not-built"] > 0 ? ` (${built} of them built on it so far)` : "";
  return `On ${name}, ${r.counts.breaks} of the ${r.buildOnBase} module${r.buildOnBase === 1 ? "" : "s"} that build on ${r.baseSeries} break${r.counts.breaks === 1 ? "s" : ""}${tail}`;
}
