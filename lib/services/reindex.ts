import { db, type Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { detectIncidents } from "../domain/regressions";
import { expectedSteps, walkModule } from "./cell-walks";
import { foldCellRows, recomputeCells, type CellKey, type CellRow } from "./recompute-cells";
import { INGEST_LOCK } from "./regressions/lock";
import { loadDetectionInput } from "./regressions/load-detection-input";
import { incidentRow, updateIncidents } from "./regressions/update-incidents";
import { kernelColumns, moduleVersionColumns } from "./stored-keys";
import { expectedStatesSql } from "./version-cell-states";

/**
 * `modcompat db reindex`: every stored output of a rule, recomputed from today's rules. Rules write
 * their outputs once, at ingest: kernel sort keys, lines and parsed columns (kernel-version.ts),
 * module version sort keys (module-version.ts), Cell (foldCell, observeCell, and each cell's walk:
 * regressionSteps, cell-walks.ts), VersionCellStates and incidents (regressions.ts), and each source's
 * run summary (kept by triggers, migration 0014). Change a rule (add a distro to DISTROS, whose index is inside the sort key)
 * and the stored outputs are silently wrong until this runs. `checkStoredRules` lists what differs
 * without writing; CI runs it on the demo data (tests/integration/reindex.test.ts).
 *
 * Each step uses the same functions as the ingest (stored-keys.ts, foldCellRows,
 * refreshVersionCellStates, updateIncidents), so "recomputed" means "what an ingest today writes".
 */

export const STORED_OUTPUTS = ["kernel", "moduleVersion", "cell", "versionCellStates", "incident", "sourceRunSummary"] as const;
export type StoredOutput = (typeof STORED_OUTPUTS)[number];

export interface Difference {
  what: StoredOutput;
  /** which row: a kernel string, slug@version, a cell, a version × series, an incident key */
  row: string;
  /** the columns that differ, or "missing" / "extra" */
  detail: string;
}

const TX = { timeout: 600_000, maxWait: 60_000 } as const;
const MAX_LISTED = 200;

function changedColumns<T extends Record<string, unknown>>(stored: Record<string, unknown>, expected: T): string[] {
  return Object.keys(expected).filter((k) => JSON.stringify(norm(stored[k])) !== JSON.stringify(norm(expected[k])));
}
// jsonb keeps object keys in its own order (shorter first), so objects compare with sorted keys.
const norm = (v: unknown): unknown =>
  v instanceof Date
    ? v.toISOString()
    : v === undefined
      ? null
      : v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
        : v;

/** Rows whose stored columns differ from what `expectedOf` derives from them, with the fix for each. */
function columnDifferences<R extends { id: number }, E extends Record<string, unknown>>(
  what: StoredOutput,
  rows: readonly R[],
  expectedOf: (row: R) => E,
  name: (row: R) => string,
): { diffs: Difference[]; fix: { id: number; data: E }[] } {
  const diffs: Difference[] = [];
  const fix: { id: number; data: E }[] = [];
  for (const row of rows) {
    const expected = expectedOf(row);
    const changed = changedColumns(row, expected);
    if (changed.length > 0) {
      diffs.push({ what, row: name(row), detail: changed.join(", ") });
      fix.push({ id: row.id, data: expected });
    }
  }
  return { diffs, fix };
}

const kernelDifferences = async (tx: Pick<Tx, "kernel">) => columnDifferences("kernel", await tx.kernel.findMany(), (k) => kernelColumns(k.version), (k) => k.version);

const versionDifferences = async (tx: Pick<Tx, "moduleVersion">) =>
  columnDifferences(
    "moduleVersion",
    await tx.moduleVersion.findMany({ select: { id: true, version: true, sortKey: true, module: { select: { slug: true } } } }),
    (v) => moduleVersionColumns(v.version),
    (v) => `${v.module.slug}@${v.version}`,
  );

const cellId = (c: CellKey) => `${c.moduleVersionId}:${c.kernelId}:${c.arch}`;
const CELL_COLUMNS = [
  "moduleId", "status", "stages", "passCount", "failCount", "errorCount", "skipCount", "lastResultId", "lastResultAt", "errorLine", "logUrl",
  "observed", "obsState", "firstFailId", "firstFailRunId", "firstFailAt", "firstFailError", "firstPassId", "firstPassRunId", "firstPassAt",
  "line", "kernelKey", "lastGoodKernelId", "walked",
] as const;
type WalkedRow = CellRow & { line: string; kernelKey: string; lastGoodKernelId: number | null; walked: boolean };

/**
 * One module's cells: what foldCell makes of its results against what Cell holds, and each cell's
 * walk (cell-walks.ts): its kernel's line and key, and its regression step from the pure walk.
 */
async function cellDifferences(tx: Pick<Tx, "result" | "moduleVersion" | "cell" | "kernel" | "$queryRawUnsafe">, moduleId: number): Promise<{ diffs: Difference[]; keys: CellKey[]; extra: CellKey[] }> {
  const keys = await tx.result.findMany({
    where: { moduleVersion: { moduleId } },
    distinct: ["moduleVersionId", "kernelId", "arch"],
    select: { moduleVersionId: true, kernelId: true, arch: true },
  });
  const folded = await foldCellRows(tx, keys);
  const kernelOf = new Map(
    (await tx.kernel.findMany({ where: { id: { in: [...new Set(folded.map((r) => r.kernelId))] } }, select: { id: true, version: true } })).map((k) => [k.id, k.version]),
  );
  const steps = expectedSteps(folded.map((r) => ({ ...r, kernel: kernelOf.get(r.kernelId)! })));
  const expected = new Map(
    folded.map((r) => {
      const { line, sortKey } = kernelColumns(kernelOf.get(r.kernelId)!);
      return [cellId(r), { ...r, line, kernelKey: sortKey, lastGoodKernelId: steps.get(cellId(r)) ?? null, walked: true }];
    }),
  );
  const stored = await tx.cell.findMany({ where: { moduleId } });
  const diffs: Difference[] = [];
  const extra: CellKey[] = [];
  const seen = new Set<string>();
  for (const c of stored) {
    const id = cellId(c);
    seen.add(id);
    const want = expected.get(id);
    if (!want) {
      diffs.push({ what: "cell", row: id, detail: "extra" });
      extra.push(c);
      continue;
    }
    const pick = (r: WalkedRow | typeof c) => Object.fromEntries(CELL_COLUMNS.map((k) => [k, r[k]]));
    const changed = changedColumns(pick(c), pick(want));
    if (changed.length > 0) diffs.push({ what: "cell", row: id, detail: changed.join(", ") });
  }
  for (const id of expected.keys()) if (!seen.has(id)) diffs.push({ what: "cell", row: id, detail: "missing" });
  return { diffs, keys, extra };
}

/** VersionCellStates against the rows Cell implies (expectedStatesSql), for every version × series. */
async function statesDifferences(tx: Pick<Tx, "$queryRaw">): Promise<Difference[]> {
  const all = Prisma.sql`SELECT DISTINCT c."moduleVersionId" AS mv, k.series FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId"`;
  const rows = await tx.$queryRaw<{ mv: number; series: string; detail: string }[]>`
    WITH expected AS (${expectedStatesSql(all)})
    SELECT coalesce(e.mv, s."moduleVersionId") AS mv, coalesce(e.series, s.series) AS series,
      CASE WHEN e.mv IS NULL THEN 'extra' WHEN s."moduleVersionId" IS NULL THEN 'missing' ELSE 'states' END AS detail
    FROM expected e FULL JOIN "VersionCellStates" s ON s."moduleVersionId" = e.mv AND s.series = e.series
    WHERE e.mv IS NULL OR s."moduleVersionId" IS NULL OR e.states IS DISTINCT FROM s.states OR e."cellCount" IS DISTINCT FROM s."cellCount"
    ORDER BY 1, 2`;
  return rows.map((r) => ({ what: "versionCellStates", row: `${r.mv} × ${r.series}`, detail: r.detail }));
}

/**
 * Each source's runs summed up again, to compare with what migration 0014's triggers keep
 * (SourceRunSummary); the rebuild calls the triggers' own recount, so a difference between the two
 * shows in the check after a rebuild (tests/integration/reindex.test.ts).
 */
const SOURCE_RUNS_SQL = Prisma.sql`SELECT source, count(*)::int AS runs, coalesce(sum("resultCount"), 0) AS results, min("startedAt") AS "firstStartedAt",
  max("finishedAt") AS "lastFinishedAt", max("receivedAt") AS "lastReceivedAt", max(id) AS "lastRunId" FROM "Run" GROUP BY source`;

async function sourceRunSummaryDifferences(tx: Pick<Tx, "$queryRaw">): Promise<Difference[]> {
  const rows = await tx.$queryRaw<{ source: string; detail: string }[]>`
    WITH expected AS (${SOURCE_RUNS_SQL})
    SELECT coalesce(e.source, s.source) AS source,
      CASE WHEN e.source IS NULL THEN 'extra' WHEN s.source IS NULL THEN 'missing' ELSE 'counts' END AS detail
    FROM expected e FULL JOIN "SourceRunSummary" s ON s.source = e.source
    WHERE e.source IS NULL OR s.source IS NULL OR (e.runs, e.results, e."firstStartedAt", e."lastFinishedAt", e."lastReceivedAt", e."lastRunId")
      IS DISTINCT FROM (s.runs, s.results, s."firstStartedAt", s."lastFinishedAt", s."lastReceivedAt", s."lastRunId")
    ORDER BY 1`;
  return rows.map((r) => ({ what: "sourceRunSummary", row: r.source, detail: r.detail }));
}

const INCIDENT_COLUMNS = [
  "arch", "line", "lastGoodKernelId", "firstBadKernelId", "series", "seriesKey", "status", "errorLine", "signature", "signatureKind", "openedAt",
  "openedResultId", "fixedInVersionId", "fixedInKernelId", "fixedAt", "fixedAtBasis", "fixedResultId", "fixedOnSnapshotVersionId", "fixedOnSnapshotAt", "timeToFixDays",
] as const;

/** One module's incidents: what detection makes of its results against what Incident holds. */
async function incidentDifferences(tx: Tx, moduleId: number): Promise<Difference[]> {
  const input = await loadDetectionInput(tx, moduleId);
  const detected = detectIncidents(input).incidents;
  const stored = new Map((await tx.incident.findMany({ where: { moduleId }, include: { versions: { select: { moduleVersionId: true } } } })).map((i) => [i.key, i]));
  const diffs: Difference[] = [];
  for (const d of detected) {
    const s = stored.get(d.key);
    stored.delete(d.key);
    if (!s) {
      diffs.push({ what: "incident", row: `${moduleId} ${d.key}`, detail: "missing" });
      continue;
    }
    const want = incidentRow(d, input.versionIds, input.kernelIds);
    const changed = changedColumns(Object.fromEntries(INCIDENT_COLUMNS.map((k) => [k, s[k]])), Object.fromEntries(INCIDENT_COLUMNS.map((k) => [k, want[k]])));
    const versions = (ids: number[]) => ids.sort((a, b) => a - b).join(",");
    if (versions(s.versions.map((v) => v.moduleVersionId)) !== versions(d.affectedVersions.map((v) => input.versionIds.get(v)!))) changed.push("affected versions");
    if (changed.length > 0) diffs.push({ what: "incident", row: `${moduleId} ${d.key}`, detail: changed.join(", ") });
  }
  for (const key of stored.keys()) diffs.push({ what: "incident", row: `${moduleId} ${key}`, detail: "extra" });
  return diffs;
}

export interface StoredRulesCheck {
  differences: Difference[];
  counts: Record<StoredOutput, number>;
}

function summarise(differences: Difference[]): StoredRulesCheck {
  const counts = Object.fromEntries(STORED_OUTPUTS.map((w) => [w, 0])) as Record<StoredOutput, number>;
  for (const d of differences) counts[d.what] += 1;
  return { differences: differences.slice(0, MAX_LISTED), counts };
}

/** Which modules' cells and incidents to look at (all by default); kernels, versions and states rows are always checked whole. */
export interface ReindexScope {
  moduleIds?: readonly number[];
}

const modulesIn = (tx: Pick<Tx, "module">, scope: ReindexScope) =>
  tx.module.findMany({ where: scope.moduleIds ? { id: { in: [...scope.moduleIds] } } : {}, select: { id: true, slug: true }, orderBy: { id: "asc" } });

/** What the stored rule outputs would change to under today's rules; no writes. At most 200 listed, all counted. */
export async function checkStoredRules(scope: ReindexScope = {}): Promise<StoredRulesCheck> {
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`;
    const differences: Difference[] = [...(await kernelDifferences(tx)).diffs, ...(await versionDifferences(tx)).diffs];
    const modules = await modulesIn(tx, scope);
    for (const m of modules) differences.push(...(await cellDifferences(tx, m.id)).diffs);
    differences.push(...(await statesDifferences(tx)));
    for (const m of modules) differences.push(...(await incidentDifferences(tx, m.id)));
    differences.push(...(await sourceRunSummaryDifferences(tx)));
    return summarise(differences);
  }, TX);
}

/**
 * Rewrite every stored rule output that differs from today's rules: kernels and module versions,
 * then per module (one transaction each, under the ingest lock) its cells, VersionCellStates and
 * incidents. Returns what it changed.
 */
export async function reindex(opts: ReindexScope & { onModule?: (slug: string, done: number, total: number) => void } = {}): Promise<StoredRulesCheck> {
  const differences: Difference[] = [];
  const touched = new Set<number>();
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${INGEST_LOCK}::bigint)`;
    const kernels = await kernelDifferences(tx);
    for (const f of kernels.fix) await tx.kernel.update({ where: { id: f.id }, data: f.data });
    const versions = await versionDifferences(tx);
    for (const f of versions.fix) await tx.moduleVersion.update({ where: { id: f.id }, data: f.data });
    differences.push(...kernels.diffs, ...versions.diffs);
    // A kernel's series, line or order feeds its modules' states rows and incidents; module
    // version keys feed neither (detection orders versions by their strings).
    const changed = kernels.fix.map((f) => f.id);
    if (changed.length > 0) {
      for (const c of await tx.cell.findMany({ where: { kernelId: { in: changed } }, distinct: ["moduleId"], select: { moduleId: true } })) touched.add(c.moduleId);
    }
  }, TX);
  // Reported as they stand before the rebuild; the modules' rows are rewritten below.
  const states = await statesDifferences(db());
  differences.push(...states);
  const stateVersions = states.map((d) => Number(d.row.split(" ")[0]));
  for (const v of await db().moduleVersion.findMany({ where: { id: { in: stateVersions } }, select: { moduleId: true } })) touched.add(v.moduleId);
  // A module whose kernels, states rows, cells and incidents are right is left alone.
  const modules = await modulesIn(db(), opts);
  for (const [n, m] of modules.entries()) {
    await db().$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${INGEST_LOCK}::bigint)`;
      const cells = await cellDifferences(tx, m.id);
      const incidents = await incidentDifferences(tx, m.id);
      differences.push(...cells.diffs, ...incidents);
      if (!touched.has(m.id) && cells.diffs.length === 0 && incidents.length === 0) return;
      for (const c of cells.extra) await tx.cell.delete({ where: { moduleVersionId_kernelId_arch: c } });
      // Kernel series may have changed, so a version's states rows are rebuilt whole.
      await tx.versionCellStates.deleteMany({ where: { moduleVersion: { moduleId: m.id } } });
      await recomputeCells(tx, cells.keys); // and the VersionCellStates rows of those cells
      await walkModule(tx, m.id); // kernels' lines and keys may have changed: every step again
      await updateIncidents(tx, { moduleIds: [m.id] });
    }, TX);
    opts.onModule?.(m.slug, n + 1, modules.length);
  }
  // Rows of a version × series with no cells left (cascades cover deleted versions).
  await db().$executeRaw`DELETE FROM "VersionCellStates" s WHERE NOT EXISTS (SELECT 1 FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId" WHERE c."moduleVersionId" = s."moduleVersionId" AND k.series = s.series)`;
  // The sources' run summaries, whole, in one transaction. An ingest meanwhile stays counted: its
  // trigger's upsert waits on the row deleted here and then adds its run to the rebuilt one, or it
  // committed first and the rebuild counted its run. (One into a source new meanwhile makes this
  // insert fail on the source's key: nothing is changed, and reindex can run again.)
  await db().$transaction(async (tx) => {
    const sources = await sourceRunSummaryDifferences(tx);
    differences.push(...sources);
    if (sources.length === 0) return;
    // The triggers' own recount (migration 0014), over every source named in Run or in the table.
    await tx.$queryRaw`SELECT modcompat_recount_source_runs(ARRAY(SELECT source FROM "Run" UNION SELECT source FROM "SourceRunSummary"))::text`;
  }, TX);
  return summarise(differences);
}
