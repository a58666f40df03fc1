import { db } from "../../db/client";
import { passRateOverTime, timeToFixHistogram, timelineBars, type PassRateSeries, type TimeToFixHistogram, type TimelineBar } from "../../domain/history";
import { seriesOf } from "../../domain/kernel-version";
import { detectIncidents, type FlakyCell } from "../../domain/regressions";
import { supportLag, type SupportLagRow } from "../../domain/support-lag";
import { notFound } from "../errors";
import { incidentInclude, toSummary, type IncidentSummary } from "../regressions/incident-summary";
import { loadDetectionInput } from "../regressions/load-detection-input";
import { listDeclaredMismatches, type DeclaredMismatch } from "./declared-mismatches";

export interface ModuleHistory {
  module: { slug: string; name: string };
  generatedAt: Date;
  incidents: IncidentSummary[];
  timeline: TimelineBar[];
  passRate: PassRateSeries;
  timeToFix: TimeToFixHistogram;
  supportLag: SupportLagRow[];
  declared: { declaredVersions: number; mismatches: DeclaredMismatch[] };
  flaky: FlakyCell[];
  data: { results: number; runs: number; versions: number; versionsWithReleaseDate: number; firstAt: Date | null; lastAt: Date | null };
  /** what the data cannot tell, said plainly instead of filled in */
  caveats: string[];
}

/** A module's breakage history for maintainers: incidents, pass rate, time to fix, support lag. */
export async function getModuleHistory(slug: string, opts: { now?: Date } = {}): Promise<ModuleHistory> {
  const now = opts.now ?? new Date();
  const mod = await db().module.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
  if (!mod) throw notFound(`module "${slug}"`);
  const [input, rows, declared, versionRows, passing] = await Promise.all([
    loadDetectionInput(db(), mod.id),
    db().incident.findMany({ where: { moduleId: mod.id }, include: incidentInclude, orderBy: [{ openedAt: "asc" }, { id: "asc" }] }),
    listDeclaredMismatches(mod.id),
    db().moduleVersion.findMany({ where: { moduleId: mod.id }, select: { id: true, version: true, releasedAt: true, declaredKernelMin: true, declaredKernelMax: true } }),
    db().cell.findMany({ where: { moduleId: mod.id, status: "pass" }, select: { moduleVersionId: true, kernel: { select: { series: true } } } }),
  ]);
  const incidents = rows.map((r) => toSummary(r, now));
  const { flaky } = detectIncidents(input);

  const passSeries = new Map<number, Set<string>>();
  for (const c of passing) passSeries.set(c.moduleVersionId, (passSeries.get(c.moduleVersionId) ?? new Set()).add(c.kernel.series));
  const testedSeries = [...new Set(input.results.map((r) => r.kernel))].map((k) => seriesOf(k));
  const lag = supportLag({
    series: testedSeries,
    versions: versionRows.map((v) => ({ ...v, passesOn: [...(passSeries.get(v.id) ?? [])] })),
  });

  const times = input.results.map((r) => r.finishedAt.getTime());
  const data = {
    results: input.results.length,
    runs: new Set(input.results.map((r) => r.runId)).size,
    versions: versionRows.length,
    versionsWithReleaseDate: versionRows.filter((v) => v.releasedAt).length,
    firstAt: times.length ? new Date(Math.min(...times)) : null,
    lastAt: times.length ? new Date(Math.max(...times)) : null,
  };
  const passRate = passRateOverTime(input.results.map((r) => ({ at: r.finishedAt, status: r.status })));
  return {
    module: { slug: mod.slug, name: mod.name },
    generatedAt: now,
    incidents,
    timeline: timelineBars(incidents, now),
    passRate,
    timeToFix: timeToFixHistogram(incidents),
    supportLag: lag,
    declared,
    flaky,
    data,
    caveats: caveats(data, passRate, declared.declaredVersions, incidents),
  };
}

function caveats(data: ModuleHistory["data"], passRate: PassRateSeries, declaredVersions: number, incidents: IncidentSummary[]): string[] {
  const out: string[] = [];
  if (data.results === 0) return ["No build results for this module yet."];
  if (passRate.spanDays === 0) {
    out.push(
      `All ${data.results} results were recorded on ${data.firstAt!.toISOString().slice(0, 10)} (${data.runs} run${data.runs === 1 ? "" : "s"}), ` +
        "so the timeline shows when the builds ran, not when each breakage happened, and there is no trend over time yet.",
    );
  }
  if (data.versionsWithReleaseDate === 0) {
    out.push("No release dates are known for this module's versions: fix dates are when a passing build was first seen, and support lag in days is unknown.");
  } else if (data.versionsWithReleaseDate < data.versions) {
    out.push(`Release dates are known for ${data.versionsWithReleaseDate} of ${data.versions} versions; where one is missing, lags are reported as unknown.`);
  }
  const unknownFix = incidents.filter((i) => i.status === "fixed" && i.timeToFixDays === null).length;
  if (unknownFix > 0) {
    out.push(`${unknownFix} fixed regression${unknownFix === 1 ? " was" : "s were"} seen failing and fixed in the same run, so how long the fix took is unknown.`);
  }
  if (declaredVersions === 0) out.push("No version declares a supported kernel range, so declared and observed support cannot be compared.");
  return out;
}
