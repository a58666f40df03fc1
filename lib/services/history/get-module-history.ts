import { pgRead, pgReadRunner } from "../../db/client";
import { eventDate } from "../../domain/event-date";
import { passRateOverTime, timeToFixHistogram, timelineBars, type PassRateSeries, type TimeToFixHistogram, type TimelineBar } from "../../domain/history";
import { seriesOf } from "../../domain/kernel-version";
import { detectIncidents, type FlakyCell } from "../../domain/regressions";
import { supportLag, type SupportLagRow } from "../../domain/support-lag";
import { notFound } from "../errors";
import { loadIncidentRows } from "../regressions/incident-rows";
import { toSummary, type IncidentSummary } from "../regressions/incident-summary";
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
  data: {
    results: number;
    runs: number;
    versions: number;
    versionsWithReleaseDate: number;
    /** results whose kernel has a known release date: the trend places them there, the others where they were seen */
    resultsWithKernelDate: number;
    firstAt: Date | null;
    lastAt: Date | null;
  };
  /** what the data cannot tell, said plainly instead of filled in */
  caveats: string[];
}

/** A module's breakage history for maintainers: incidents, pass rate, time to fix, support lag. */
export async function getModuleHistory(slug: string, opts: { now?: Date } = {}): Promise<ModuleHistory> {
  const now = opts.now ?? new Date();
  // node-pg throughout (pgRead, pgReadRunner): Prisma compiled each of its dozen statements on the event loop.
  const [mod] = await pgRead<{ id: number; slug: string; name: string }>(`SELECT id, slug, name FROM "Module" WHERE slug = $1`, [slug]);
  if (!mod) throw notFound(`module "${slug}"`);
  const read = pgReadRunner();
  const [input, rows, declared, versionRows, passing] = await Promise.all([
    loadDetectionInput(read, mod.id),
    loadIncidentRows({ moduleId: mod.id }, "oldest"),
    listDeclaredMismatches(mod.id),
    read.query<{ id: number; version: string; releasedAt: Date | null; declaredKernelMin: string | null; declaredKernelMax: string | null }>(
      `SELECT id, version, "releasedAt", "declaredKernelMin", "declaredKernelMax" FROM "ModuleVersion" WHERE "moduleId" = $1 ORDER BY id`,
      [mod.id],
    ),
    pgRead<{ moduleVersionId: number; series: string }>(
      `SELECT c."moduleVersionId", k.series FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId" WHERE c."moduleId" = $1 AND c.status = 'pass'`,
      [mod.id],
    ),
  ]);
  const incidents = rows.map((r) => toSummary(r, now));
  const { flaky } = detectIncidents(input);

  const passSeries = new Map<number, Set<string>>();
  for (const c of passing) passSeries.set(c.moduleVersionId, (passSeries.get(c.moduleVersionId) ?? new Set()).add(c.series));
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
    resultsWithKernelDate: 0,
    firstAt: times.length ? new Date(Math.min(...times)) : null,
    lastAt: times.length ? new Date(Math.max(...times)) : null,
  };
  // The trend follows the kernels' release dates: a result belongs to when its kernel came out.
  const kernelDate = new Map(input.kernels.map((k) => [k.version, k.releasedAt]));
  const dated = input.results.map((r) => ({ ...eventDate(kernelDate.get(r.kernel) ?? null, r.finishedAt), status: r.status }));
  data.resultsWithKernelDate = dated.filter((r) => r.basis === "release").length;
  const passRate = passRateOverTime(dated);
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
      data.resultsWithKernelDate === 0
        ? `All ${data.results} results were recorded on ${data.firstAt!.toISOString().slice(0, 10)} (${data.runs} run${data.runs === 1 ? "" : "s"}) and no kernel has a release date, ` +
            "so the timeline shows when the builds ran, not when each breakage happened, and there is no trend over time yet."
        : "All results fall on one date, so there is no trend over time yet.",
    );
  }
  if (data.resultsWithKernelDate > 0 && data.resultsWithKernelDate < data.results) {
    out.push(
      `${data.results - data.resultsWithKernelDate} of ${data.results} results are on kernels with no known release date; ` +
        "the trend places those where they were seen, and breakages on those kernels are dated by when they were seen.",
    );
  }
  if (data.versionsWithReleaseDate === 0) {
    out.push("No release dates are known for this module's versions: fix dates are when a passing build was first seen, and support lag in days is unknown.");
  } else if (data.versionsWithReleaseDate < data.versions) {
    out.push(`Release dates are known for ${data.versionsWithReleaseDate} of ${data.versions} versions; where one is missing, lags are reported as unknown.`);
  }
  const unknownFix = incidents.filter((i) => i.status === "fixed" && i.timeToFixDays === null).length;
  if (unknownFix > 0) {
    out.push(
      `${unknownFix} fixed regression${unknownFix === 1 ? " has" : "s have"} no known time to fix: the break and the fix were seen in the same run, or the break is dated by its kernel's release while the fix is only dated by when it was seen.`,
    );
  }
  if (declaredVersions === 0) out.push("No version declares a supported kernel range, so declared and observed support cannot be compared.");
  return out;
}
