import { setPlanCacheMode, sql, type SqlTarget } from "../../db/sql";
import { Prisma } from "../../generated/prisma/client";
import { compareModuleVersions } from "../../domain/module-version";
import { breakagesOfGrid, breakageUnchanged, type CellState, type CellSummary, type DetectedIncident, type GridQuestion, type RegressionStep } from "../../domain/regressions";
import { walkModule } from "../cell-walks";
import { replayCellObservations } from "../recompute-cells";

/** The incidents of some grids of one module, with the ids to store them under. */
export interface GridDetection {
  incidents: DetectedIncident[];
  versionIds: Map<string, number>;
  kernelIds: Map<string, number>;
  /** keys of stored incidents that still hold as they are (breakageUnchanged): not detected again */
  kept: Set<string>;
  /** what was read, for MODCOMPAT_INGEST_PHASES */
  read: string;
}

/** A grid to detect again, with the cells the batch changed in it (none given: no incident is kept). */
export interface DetectionGrid {
  arch: string;
  line: string;
  touched?: readonly { moduleVersionId: number; kernelId: number }[];
}

/** A stored incident of the module, by key, as breakageUnchanged compares it (kernels by sort key). */
export type StoredBreakages = ReadonlyMap<string, { lastGoodKey: string; fixedInKernelKey: string | null }>;

interface KernelFacts {
  id: number;
  key: string;
  releasedAt: Date | null;
}

/** A cell as the lookups read it: the CellSummary columns and its kernel's. */
interface CellRow {
  mv: number;
  st: string;
  ffi: number | null;
  ffr: number | null;
  ffa: number | null;
  ffe: string | null;
  fpi: number | null;
  fpr: number | null;
  fpa: number | null;
  kid: number;
  kv: string;
  kkey: string;
  krel: number | null;
}

// Times as epoch milliseconds: the columns are UTC `timestamp(3)`, read without any zone.
const CELL_COLUMNS = Prisma.sql`c."moduleVersionId" AS mv, c."obsState" AS st,
  c."firstFailId" AS ffi, c."firstFailRunId" AS ffr, (extract(epoch FROM c."firstFailAt") * 1000)::float8 AS ffa, c."firstFailError" AS ffe,
  c."firstPassId" AS fpi, c."firstPassRunId" AS fpr, (extract(epoch FROM c."firstPassAt") * 1000)::float8 AS fpa,
  kk.id AS kid, kk.version AS kv, kk."sortKey" AS kkey, (extract(epoch FROM kk."releasedAt") * 1000)::float8 AS krel`;

/**
 * Detection of some grids of one module (arch × kernel line) by indexed lookups: the grids'
 * regression steps (Cell.lastGoodKernelId, "Cell_steps_idx"), then the questions incidentsInGrid
 * asks (lib/domain/regressions.ts GridQuestion), each one descent of "Cell_walk_idx" per version or
 * primary-key reads of one kernel's cells. A grid costs its steps and two to four questions per
 * incident, however many kernels and results it holds (issue 14). A module with cells not yet
 * walked (rows from before migrations 0011 and 0012) is walked whole first, once.
 */
export async function detectGridIncidents(
  tx: SqlTarget,
  moduleId: number,
  grids: readonly DetectionGrid[],
  stored: StoredBreakages = new Map(),
): Promise<GridDetection> {
  await ensureWalked(tx, moduleId);
  const rows = await sql<{ id: number; version: string; releasedAt: Date | null }>(tx, Prisma.sql`SELECT id, version, "releasedAt" FROM "ModuleVersion" WHERE "moduleId" = ${moduleId}`);
  const versions = rows.map((v) => v.version).sort(compareModuleVersions);
  const versionOf = new Map(rows.map((v) => [v.id, v.version]));
  const versionIds = new Map(rows.map((v) => [v.version, v.id]));
  const releasedAt = new Map(rows.map((v) => [v.version, v.releasedAt]));
  const kernels = new Map<string, KernelFacts>();
  const cellOf = (arch: string, r: CellRow): CellSummary => {
    if (!kernels.has(r.kv)) kernels.set(r.kv, { id: r.kid, key: r.kkey, releasedAt: r.krel === null ? null : new Date(r.krel) });
    return {
      version: versionOf.get(r.mv)!,
      kernel: r.kv,
      arch,
      state: r.st as CellState,
      firstFail: r.ffi === null ? null : { resultId: r.ffi, runId: r.ffr!, at: new Date(r.ffa!), verdict: "fail", errorLine: r.ffe },
      firstPass: r.fpi === null ? null : { resultId: r.fpi, runId: r.fpr!, at: new Date(r.fpa!), verdict: "pass", errorLine: null },
    };
  };
  const key = (kernel: string) => kernels.get(kernel)!.key;
  const incidents: DetectedIncident[] = [];
  let statements = 1;
  let cellsRead = 0;

  // The lookups below are the same few texts run a few dozen times per ingest with small,
  // index-bound answers; PostgreSQL kept planning them anew at every run (their custom plans looked
  // cheaper than the generic one to plan_cache_mode auto): 0.14–0.34 ms of planning for 0.03–0.08 ms
  // of execution. Their generic plans are the same index descents, so detection keeps them (named
  // statements, lib/db/prepared.ts), then sets back the mode the transaction had.
  // (Only where statements go out named: unnamed ones are planned at every run whatever the mode.)
  const named = "namedStatements" in tx && tx.namedStatements === true;
  const planMode = named ? await setPlanCacheMode(tx, "force_generic_plan") : null;

  // Every grid's steps in one statement ("Cell_steps_idx").
  const found = await sql<(CellRow & { a: string; line: string; gid: number; gv: string; gkey: string; grel: number | null })>(tx, Prisma.sql`
    SELECT ${CELL_COLUMNS}, c.arch AS a, c.line, g.id AS gid, g.version AS gv, g."sortKey" AS gkey, (extract(epoch FROM g."releasedAt") * 1000)::float8 AS grel
    FROM "Cell" c JOIN "Kernel" kk ON kk.id = c."kernelId" JOIN "Kernel" g ON g.id = c."lastGoodKernelId"
    WHERE c."moduleId" = ${moduleId} AND c."lastGoodKernelId" IS NOT NULL
      AND (c.arch, c.line) IN (SELECT * FROM unnest(${grids.map((g) => g.arch)}::text[], ${grids.map((g) => g.line)}::text[]))`);
  cellsRead += found.length;
  const stepsOf = new Map<string, RegressionStep[]>();
  for (const r of found) {
    if (!kernels.has(r.gv)) kernels.set(r.gv, { id: r.gid, key: r.gkey, releasedAt: r.grel === null ? null : new Date(r.grel) });
    const cell = cellOf(r.a, r);
    const id = `${r.a}|${r.line}`;
    stepsOf.set(id, [...(stepsOf.get(id) ?? []), { version: cell.version, lastGood: r.gv, firstBad: cell.kernel, cell }]);
  }

  // Where the batch's changes begin in each grid (breakageUnchanged): the breakages before them,
  // undone before them, keep their stored incidents and ask nothing.
  const bounds = await batchBounds(tx, grids);
  if (bounds.size > 0) statements += 1;
  const kept = new Set<string>();

  // Every breakage of every grid runs side by side (breakagesOfGrid): each round answers all the
  // pending questions in one statement, so a module costs as many statements as its longest
  // breakage asks questions, not one per question of them all.
  const runs = grids.flatMap((grid) => {
    const batch = bounds.get(`${grid.arch}|${grid.line}`);
    return breakagesOfGrid({
      arch: grid.arch,
      line: grid.line,
      versions,
      steps: stepsOf.get(`${grid.arch}|${grid.line}`) ?? [],
      compareKernels: (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0),
      kernelReleasedAt: (k) => kernels.get(k)!.releasedAt,
      releasedAt,
    }).flatMap((b) => {
      if (batch && breakageUnchanged({ lastGoodKey: key(b.lastGood), firstBadKey: key(b.firstBad) }, stored.get(b.key), batch)) {
        kept.add(b.key);
        return [];
      }
      return [{ grid, run: b.run, next: b.run.next() }];
    });
  });
  for (let active = runs; active.length > 0; ) {
    const waiting = active.flatMap((r) => {
      if (!r.next.done) return [r];
      incidents.push(r.next.value);
      return [];
    });
    if (waiting.length === 0) break;
    const rows = await sql<CellRow & { q: number }>(tx, roundSql(waiting.map((r) => ({ grid: r.grid, question: r.next.value as GridQuestion })), versionIds, (k) => kernels.get(k)!));
    statements += 1;
    cellsRead += rows.length;
    const answers = waiting.map(() => new Map<string, CellSummary>());
    for (const r of rows) answers[r.q].set(versionOf.get(r.mv)!, cellOf(waiting[r.q].grid.arch, r));
    waiting.forEach((r, qi) => (r.next = r.run.next(answers[qi])));
    active = waiting;
  }
  if (planMode !== null) await setPlanCacheMode(tx, planMode);
  incidents.sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    incidents,
    versionIds,
    kernelIds: new Map([...kernels].map(([k, f]) => [k, f.id])),
    kept,
    read: `${grids.length} grids, ${statements} statements, ${cellsRead} cells, ${kept.size} incidents kept`,
  };
}

/**
 * One round of questions (GridQuestion) as one statement of a fixed text whatever the questions,
 * so PostgreSQL keeps its plan (lib/db/prepared.ts): one row per question and version, tagged with
 * the question's number.
 * - "first": the first cell with a verdict (or with the asked one) from `after` on, in kernel
 *   order, before `before`. The first pass and the first fail at or after `after` are each one
 *   descent of "Cell_walk_idx"; the earlier of the two (of the asked verdict) is the answer,
 *   dropped when it is at or past `before`: then the range has none. Bounded however long the line.
 * - "at": the cell of one kernel, by primary key, if it has a verdict.
 */
function roundSql(
  questions: readonly { grid: { arch: string; line: string }; question: GridQuestion }[],
  versionIds: ReadonlyMap<string, number>,
  kernel: (version: string) => KernelFacts,
): Prisma.Sql {
  const first = { q: [] as number[], mv: [] as number[], arch: [] as string[], line: [] as string[], pass: [] as boolean[], fail: [] as boolean[], after: [] as string[], inclusive: [] as boolean[], before: [] as (string | null)[] };
  const at = { q: [] as number[], mv: [] as number[], k: [] as number[], arch: [] as string[] };
  questions.forEach(({ grid, question: x }, q) => {
    for (const v of x.versions) {
      const mv = versionIds.get(v)!;
      if (x.kind === "at") {
        at.q.push(q);
        at.mv.push(mv);
        at.k.push(kernel(x.kernel).id);
        at.arch.push(grid.arch);
        continue;
      }
      first.q.push(q);
      first.mv.push(mv);
      first.arch.push(grid.arch);
      first.line.push(grid.line);
      first.pass.push(x.verdict !== "fail");
      first.fail.push(x.verdict !== "pass");
      first.after.push(kernel(x.after).key);
      first.inclusive.push(x.inclusive);
      first.before.push(x.before === null ? null : kernel(x.before).key);
    }
  });
  const firstOf = (verdict: string) => Prisma.sql`
    (SELECT c.* FROM "Cell" c WHERE c."moduleVersionId" = u.mv AND c.arch = u.arch AND c.line = u.line AND c."obsState" = ${Prisma.raw(`'${verdict}'`)}
       AND c."kernelKey" >= u.after AND (c."kernelKey" > u.after OR u.inclusive)
     ORDER BY c."kernelKey" LIMIT 1)`;
  return Prisma.sql`
    SELECT u.q, x.* FROM unnest(${first.q}::int[], ${first.mv}::int[], ${first.arch}::text[], ${first.line}::text[], ${first.pass}::bool[], ${first.fail}::bool[],
        ${first.after}::text[], ${first.inclusive}::bool[], ${first.before}::text[]) AS u(q, mv, arch, line, pass, fail, after, inclusive, before)
    CROSS JOIN LATERAL (
      SELECT ${CELL_COLUMNS}, c."kernelKey" AS ck FROM (${firstOf("pass")} UNION ALL ${firstOf("fail")}) c JOIN "Kernel" kk ON kk.id = c."kernelId"
      WHERE (c."obsState" = 'pass' AND u.pass) OR (c."obsState" = 'fail' AND u.fail)
      ORDER BY c."kernelKey" LIMIT 1) x
    WHERE u.before IS NULL OR x.ck < u.before
    UNION ALL
    SELECT a.q, ${CELL_COLUMNS}, c."kernelKey" AS ck FROM unnest(${at.q}::int[], ${at.mv}::int[], ${at.k}::int[], ${at.arch}::text[]) AS a(q, mv, k, arch)
    JOIN "Cell" c ON c."moduleVersionId" = a.mv AND c."kernelId" = a.k AND c.arch = a.arch AND c."obsState" IN ('pass', 'fail')
    JOIN "Kernel" kk ON kk.id = c."kernelId"`;
}

/**
 * For each grid with its changed cells given: `touched`, the smallest sort key of a changed cell;
 * `stepsFrom`, the smallest of, for each version with a changed cell, the key of its last pass
 * before its first changed cell ("Cell_walk_idx" backwards), or of that cell when it has none
 * (breakageUnchanged). Cells before a version's first changed cell are as they were before the batch.
 */
async function batchBounds(tx: SqlTarget, grids: readonly DetectionGrid[]): Promise<Map<string, { touched: string; stepsFrom: string }>> {
  const t = grids.flatMap((g) => (g.touched ?? []).map((c) => ({ arch: g.arch, line: g.line, mv: c.moduleVersionId, k: c.kernelId })));
  if (t.length === 0) return new Map();
  const rows = await sql<{ arch: string; line: string; touched: string; stepsFrom: string }>(tx, Prisma.sql`
    SELECT f.arch, f.line, min(f.first) AS touched, min(coalesce(p.key, f.first)) AS "stepsFrom"
    FROM (
      SELECT u.arch, u.line, u.mv, min(k."sortKey") AS first
      FROM unnest(${t.map((c) => c.arch)}::text[], ${t.map((c) => c.line)}::text[], ${t.map((c) => c.mv)}::int[], ${t.map((c) => c.k)}::int[]) AS u(arch, line, mv, k)
      JOIN "Kernel" k ON k.id = u.k
      GROUP BY u.arch, u.line, u.mv
    ) f
    LEFT JOIN LATERAL (
      SELECT c."kernelKey" AS key FROM "Cell" c
      WHERE c."moduleVersionId" = f.mv AND c.arch = f.arch AND c.line = f.line AND c."obsState" = 'pass' AND c."kernelKey" < f.first
      ORDER BY c."kernelKey" DESC LIMIT 1
    ) p ON true
    GROUP BY f.arch, f.line`);
  return new Map(rows.map((r) => [`${r.arch}|${r.line}`, { touched: r.touched, stepsFrom: r.stepsFrom }]));
}

/** Replay and walk a module whose cells are not all observed and walked (rows from before migrations 0011 and 0012). */
async function ensureWalked(tx: SqlTarget, moduleId: number): Promise<void> {
  const stale = await sql<{ mv: number; k: number; a: string; observed: boolean }>(tx, Prisma.sql`
    SELECT "moduleVersionId" AS mv, "kernelId" AS k, arch AS a, observed FROM "Cell" WHERE "moduleId" = ${moduleId} AND NOT (walked AND observed)`);
  if (stale.length === 0) return;
  await replayCellObservations(
    tx,
    stale.filter((c) => !c.observed).map((c) => ({ moduleVersionId: c.mv, kernelId: c.k, arch: c.a })),
  );
  await walkModule(tx, moduleId);
}
