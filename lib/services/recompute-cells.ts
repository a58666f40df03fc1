import { sql, type SqlTarget } from "../db/sql";
import { Prisma } from "../generated/prisma/client";
import { observeCell } from "../domain/regressions";
import { foldCell, STAGES, type FoldedCell, type FoldInput, type Stage, type Status } from "../domain/status";
import { refreshVersionCellStates } from "./version-cell-states";
import { walkCells } from "./cell-walks";

export interface CellKey {
  moduleVersionId: number;
  kernelId: number;
  arch: string;
}

const keyOf = (k: CellKey) => `${k.moduleVersionId}:${k.kernelId}:${k.arch}`;

/** Detection's summary of a cell as Cell stores it (lib/domain/regressions.ts CellSummary). */
export interface CellObservation {
  observed: boolean;
  obsState: string | null;
  firstFailId: number | null;
  firstFailRunId: number | null;
  firstFailAt: Date | null;
  firstFailError: string | null;
  firstPassId: number | null;
  firstPassRunId: number | null;
  firstPassAt: Date | null;
}

export type CellRow = CellKey & FoldedCell & CellObservation & { moduleId: number };

type RawResult = FoldInput & { runId: number };

/** observeCell of one cell's results, in Cell's columns: the reference the ingest's SQL is tested against. */
function observationOf(results: readonly RawResult[]): CellObservation {
  const cell = observeCell(results.map((r) => ({ ...r, version: "", kernel: "", arch: "" })));
  return {
    observed: true,
    obsState: cell?.state ?? null,
    firstFailId: cell?.firstFail?.resultId ?? null,
    firstFailRunId: cell?.firstFail?.runId ?? null,
    firstFailAt: cell?.firstFail?.at ?? null,
    firstFailError: cell?.firstFail?.errorLine ?? null,
    firstPassId: cell?.firstPass?.resultId ?? null,
    firstPassRunId: cell?.firstPass?.runId ?? null,
    firstPassAt: cell?.firstPass?.at ?? null,
  };
}

async function resultsOfCells(tx: SqlTarget, keys: readonly CellKey[]): Promise<Map<string, RawResult[]>> {
  const wanted = new Set(keys.map(keyOf));
  const raw = await sql<{ id: number; runId: number; moduleVersionId: number; kernelId: number; arch: string; stage: string; status: string; finishedAt: Date; errorLine: string | null; logUrl: string | null }>(
    tx,
    Prisma.sql`
    SELECT id, "runId", "moduleVersionId", "kernelId", arch, stage, status, "finishedAt", "errorLine", "logUrl" FROM "Result"
    WHERE "moduleVersionId" = ANY(${[...new Set(keys.map((k) => k.moduleVersionId))]}::int[]) AND "kernelId" = ANY(${[...new Set(keys.map((k) => k.kernelId))]}::int[])`,
  );
  const groups = new Map<string, RawResult[]>();
  for (const r of raw) {
    const k = keyOf(r);
    if (!wanted.has(k)) continue;
    const list = groups.get(k) ?? [];
    list.push({ ...r, stage: r.stage as Stage, status: r.status as Status });
    groups.set(k, list);
  }
  return groups;
}

/**
 * The summary rows the given cells should have, folded from their raw results by foldCell
 * (lib/domain/status.ts, the only place the folding rule lives) and observed by observeCell
 * (lib/domain/regressions.ts). A key without results has no row.
 */
export async function foldCellRows(tx: SqlTarget, keys: readonly CellKey[]): Promise<CellRow[]> {
  if (keys.length === 0) return [];
  const groups = await resultsOfCells(tx, keys);
  const mvIds = [...new Set(keys.map((k) => k.moduleVersionId))];
  const versions = await sql<{ id: number; moduleId: number }>(tx, Prisma.sql`SELECT id, "moduleId" FROM "ModuleVersion" WHERE id = ANY(${mvIds}::int[])`);
  const moduleOf = new Map(versions.map((v) => [v.id, v.moduleId]));

  return keys.flatMap((k) => {
    const results = groups.get(keyOf(k)) ?? [];
    const folded = foldCell(results);
    return folded ? [{ ...k, moduleId: moduleOf.get(k.moduleVersionId)!, ...folded, ...observationOf(results) }] : [];
  });
}

/**
 * Write the observation columns of cells whose stored ones cannot be carried forward (a run older
 * than the cell's newest result, a rebuild, rows from before migration 0011) from their results.
 */
export async function replayCellObservations(tx: SqlTarget, keys: readonly CellKey[]): Promise<void> {
  if (keys.length === 0) return;
  const groups = await resultsOfCells(tx, keys);
  const rows = keys.map((k) => ({ ...k, ...observationOf(groups.get(keyOf(k)) ?? []) }));
  const col = <K extends keyof (typeof rows)[number]>(name: K) => rows.map((r) => r[name]);
  const iso = (ds: (Date | null)[]) => ds.map((d) => d?.toISOString() ?? null);
  await sql(
    tx,
    Prisma.sql`
    UPDATE "Cell" c SET "observed" = true, "obsState" = u.st, "firstFailId" = u.ffi, "firstFailRunId" = u.ffr,
      "firstFailAt" = (u.ffa::timestamptz AT TIME ZONE 'UTC')::timestamp(3), "firstFailError" = u.ffe,
      "firstPassId" = u.fpi, "firstPassRunId" = u.fpr, "firstPassAt" = (u.fpa::timestamptz AT TIME ZONE 'UTC')::timestamp(3)
    FROM unnest(${col("moduleVersionId")}::int[], ${col("kernelId")}::int[], ${col("arch")}::text[], ${col("obsState")}::text[],
      ${col("firstFailId")}::int[], ${col("firstFailRunId")}::int[], ${iso(col("firstFailAt"))}::text[], ${col("firstFailError")}::text[],
      ${col("firstPassId")}::int[], ${col("firstPassRunId")}::int[], ${iso(col("firstPassAt"))}::text[])
      AS u(mv, k, a, st, ffi, ffr, ffa, ffe, fpi, fpr, fpa)
    WHERE c."moduleVersionId" = u.mv AND c."kernelId" = u.k AND c.arch = u.a`,
  );
}

export interface CellsUpdate {
  written: number;
  /** cells whose detection summary (CellSummary) changed or was replayed: only their grids need detecting again */
  changed: CellKey[];
}

/**
 * Rebuild the summary rows of the given cells from their raw results, then the VersionCellStates
 * rows of their version × series pairs.
 *
 * The fold runs in PostgreSQL, in one statement: only the touched cells' own results are read (by
 * the Result (moduleVersionId, kernelId, arch) index) and nothing is loaded into Node (issue 14).
 * It is foldCell (lib/domain/status.ts) written in SQL: per stage the newest meaningful result
 * (newest by finishedAt then id; `error` only when the stage has nothing else), the cell's status
 * the worst stage by FOLD_RANK (error < pass < skip < fail), error line and log of the first stage
 * in STAGES order holding that status, counts per status, last result the newest of all.
 * foldCellRows above stays the reference: `modcompat db reindex --check` compares the two, and
 * tests/integration/reindex.test.ts proves they agree.
 *
 * The same statement carries detection's summary of the cell (observeCell) forward by one run:
 * when `runId` is the run just stored and its results are not older than anything the cell held,
 * that run is the cell's last, so the state after it is the new fold (observeCell: a run observes
 * the cell's state after it when it brings a pass or a fail and the cell is then pass or fail), the
 * first failing and passing observations are kept or set, and a pass after a failure makes the cell
 * flaky for good. Otherwise (a run older than the cell's newest result, no run given, a row from
 * before migration 0011) the cell is replayed from its results with observeCell itself
 * (replayCellObservations). tests/integration/ingest-scale-paths.test.ts proves both agree with
 * observeCell on random histories that arrive out of order.
 */
export async function recomputeCells(tx: SqlTarget, keys: readonly CellKey[], opts: { runId?: number } = {}): Promise<CellsUpdate> {
  if (keys.length === 0) return { written: 0, changed: [] };
  const source = Prisma.sql`
    WITH keys AS (
      SELECT DISTINCT mv, k, a FROM unnest(${keys.map((k) => k.moduleVersionId)}::int[], ${keys.map((k) => k.kernelId)}::int[], ${keys.map((k) => k.arch)}::text[]) AS u(mv, k, a)
    ), old AS (
      SELECT c.* FROM keys JOIN "Cell" c ON c."moduleVersionId" = keys.mv AND c."kernelId" = keys.k AND c.arch = keys.a
    ), res AS (
      SELECT keys.mv, keys.k, keys.a, r.id, r."runId", r.stage, r.status, r."finishedAt", r."errorLine", r."logUrl"
      FROM keys JOIN "Result" r ON r."moduleVersionId" = keys.mv AND r."kernelId" = keys.k AND r.arch = keys.a
    )`;
  return foldCells(tx, { source, keys, runId: opts.runId ?? null });
}

/** One row of `Result` as the ingest inserts it. */
export interface ResultRow extends CellKey {
  stage: string;
  status: string;
  durationMs: number | null;
  logExcerpt: string | null;
  logTruncated: boolean;
  logUrl: string | null;
  errorLine: string | null;
  compiler: string | null;
  finishedAt: Date;
}

/**
 * The ingest's one statement for a run's results: insert them (one unnest, whatever the batch
 * size) and fold their cells (recomputeCells), the new rows coming from the insert itself, so only
 * cells that already existed read Result; no row is loaded into Node.
 * Times travel as ISO text because Prisma keeps DateTime as UTC in `timestamp(3)`.
 */
export async function insertResultsAndFoldCells(tx: SqlTarget, run: { runId: number; rows: readonly ResultRow[] }): Promise<CellsUpdate> {
  const { rows, runId } = run;
  if (rows.length === 0) return { written: 0, changed: [] };
  const keys = [...new Map(rows.map((r) => [`${r.moduleVersionId}:${r.kernelId}:${r.arch}`, r])).values()];
  const source = Prisma.sql`
    WITH ins AS (
      INSERT INTO "Result" ("runId","moduleVersionId","kernelId","arch","stage","status","durationMs","logExcerpt","logTruncated","logUrl","errorLine","compiler","finishedAt")
      SELECT ${runId}::int, mv, k, a, st, s, d, le, lt, lu, el, co, (fa::timestamptz AT TIME ZONE 'UTC')::timestamp(3) FROM unnest(
        ${rows.map((r) => r.moduleVersionId)}::int[], ${rows.map((r) => r.kernelId)}::int[], ${rows.map((r) => r.arch)}::text[],
        ${rows.map((r) => r.stage)}::text[], ${rows.map((r) => r.status)}::text[], ${rows.map((r) => r.durationMs)}::int[],
        ${rows.map((r) => r.logExcerpt)}::text[], ${rows.map((r) => r.logTruncated)}::boolean[], ${rows.map((r) => r.logUrl)}::text[],
        ${rows.map((r) => r.errorLine)}::text[], ${rows.map((r) => r.compiler)}::text[], ${rows.map((r) => r.finishedAt.toISOString())}::text[])
        AS u(mv, k, a, st, s, d, le, lt, lu, el, co, fa)
      RETURNING "moduleVersionId" AS mv, "kernelId" AS k, arch AS a, id, "runId", stage, status, "finishedAt", "errorLine", "logUrl"
    ), keys AS (
      SELECT DISTINCT mv, k, a FROM ins
    ), old AS (
      SELECT c.* FROM keys JOIN "Cell" c ON c."moduleVersionId" = keys.mv AND c."kernelId" = keys.k AND c.arch = keys.a
    ), res AS (
      -- The statement sees Result as it was before it: the new rows come from the insert, older
      -- ones only for cells that exist (every stored result has its Cell row).
      SELECT mv, k, a, id, "runId", stage, status, "finishedAt", "errorLine", "logUrl" FROM ins
      UNION ALL
      SELECT o."moduleVersionId", o."kernelId", o.arch, r.id, r."runId", r.stage, r.status, r."finishedAt", r."errorLine", r."logUrl"
      FROM old o JOIN "Result" r ON r."moduleVersionId" = o."moduleVersionId" AND r."kernelId" = o."kernelId" AND r.arch = o.arch
    )`;
  return foldCells(tx, { source, keys, runId });
}

/**
 * The fold statement over `source` (CTEs named keys; old, the Cell rows of those keys that exist,
 * read once; and res, their results), then replays and states rows.
 */
async function foldCells(tx: SqlTarget, opts: { source: Prisma.Sql; keys: readonly CellKey[]; runId: number | null }): Promise<CellsUpdate> {
  const { source, keys } = opts;
  const run = opts.runId;
  const [out] = await sql<{ written: number; changed: [number, number, string][]; replay: [number, number, string][] }>(
    tx,
    Prisma.sql`
    ${source}, ranked AS (
      -- per stage, the newest meaningful result (an error only when nothing else) is rn = 1
      SELECT mv, k, a, id, "runId", stage, status, "finishedAt", "errorLine", "logUrl",
             row_number() OVER (PARTITION BY mv, k, a, stage ORDER BY (status = 'error'), "finishedAt" DESC, id DESC) AS rn,
             CASE status WHEN 'error' THEN 0 WHEN 'pass' THEN 1 WHEN 'skip' THEN 2 ELSE 3 END AS rank,
             array_position(${[...STAGES]}::text[], stage) AS so
      FROM res
    ), agg AS (
      -- One grouped pass per cell (no join of several CTEs: their row counts are unknown to the
      -- planner, which then nests loops over them, 30 s for 5,000 cells on a fresh database).
      -- The decisive stage is the worst by rank, the earliest stage among equals (foldCell).
      SELECT mv, k, a,
             (array_agg(status ORDER BY rank DESC, so) FILTER (WHERE rn = 1))[1] AS status,
             (array_agg("errorLine" ORDER BY rank DESC, so) FILTER (WHERE rn = 1))[1] AS "errorLine",
             (array_agg("logUrl" ORDER BY rank DESC, so) FILTER (WHERE rn = 1))[1] AS "logUrl",
             jsonb_object_agg(stage, status) FILTER (WHERE rn = 1) AS stages,
             count(*) FILTER (WHERE status = 'pass')::int AS pc, count(*) FILTER (WHERE status = 'fail')::int AS fc,
             count(*) FILTER (WHERE status = 'error')::int AS ec, count(*) FILTER (WHERE status = 'skip')::int AS sc,
             (array_agg(id ORDER BY "finishedAt" DESC, id DESC))[1] AS lr, max("finishedAt") AS la,
             -- this run's part, its results in time order (observeCell): earliest, first pass, first fail, first verdict
             min("finishedAt") FILTER (WHERE "runId" = ${run}::int) AS run_at,
             count(*) FILTER (WHERE "runId" IS DISTINCT FROM ${run}::int)::int AS others,
             (array_agg(id ORDER BY "finishedAt", id) FILTER (WHERE "runId" = ${run}::int AND status = 'pass'))[1] AS p_id,
             (array_agg("finishedAt" ORDER BY "finishedAt", id) FILTER (WHERE "runId" = ${run}::int AND status = 'pass'))[1] AS p_at,
             (array_agg(id ORDER BY "finishedAt", id) FILTER (WHERE "runId" = ${run}::int AND status = 'fail'))[1] AS f_id,
             (array_agg("finishedAt" ORDER BY "finishedAt", id) FILTER (WHERE "runId" = ${run}::int AND status = 'fail'))[1] AS f_at,
             (array_agg(id ORDER BY "finishedAt", id) FILTER (WHERE "runId" = ${run}::int AND status IN ('pass', 'fail')))[1] AS v_id,
             (array_agg("finishedAt" ORDER BY "finishedAt", id) FILTER (WHERE "runId" = ${run}::int AND status IN ('pass', 'fail')))[1] AS v_at
      FROM ranked GROUP BY mv, k, a
    ), step AS (
      -- The run observes the folded state when it brought a verdict and the cell is pass or fail;
      -- the observation is its first result with that status, else its first verdict.
      SELECT g.*, v."moduleId", kk.line AS kline, kk."sortKey" AS kkey, CASE WHEN g.status = 'pass' THEN NULL ELSE g."errorLine" END AS el,
             CASE WHEN g.v_id IS NOT NULL AND g.status IN ('pass', 'fail') THEN g.status END AS obs,
             o."moduleVersionId" IS NOT NULL AS had, o.observed AS o_observed, o."lastResultAt" AS o_la, o."obsState" AS o_st,
             o."firstFailId" AS o_ffi, o."firstFailRunId" AS o_ffr, o."firstFailAt" AS o_ffa, o."firstFailError" AS o_ffe,
             o."firstPassId" AS o_fpi, o."firstPassRunId" AS o_fpr, o."firstPassAt" AS o_fpa
      FROM agg g JOIN "ModuleVersion" v ON v.id = g.mv JOIN "Kernel" kk ON kk.id = g.k
      LEFT JOIN old o ON o."moduleVersionId" = g.mv AND o."kernelId" = g.k AND o.arch = g.a
    ), carried AS (
      -- Carried forward only when this run is the cell's last: nothing else before (a new cell), or
      -- a cell already observed whose newest result is not newer than this run's earliest.
      SELECT s.*, coalesce(CASE WHEN s.had THEN s.o_observed AND s.run_at >= s.o_la ELSE s.others = 0 AND s.run_at IS NOT NULL END, false) AS ok
      FROM step s
    ), fin AS (
      SELECT c.mv, c.k, c.a, c."moduleId", c.status, c.stages, c.pc, c.fc, c.ec, c.sc, c.lr, c.la, c.el, c."logUrl", c.ok,
             CASE WHEN NOT c.ok THEN NULL WHEN c.o_st = 'flaky' OR (c.obs = 'pass' AND c.o_ffi IS NOT NULL) THEN 'flaky' ELSE coalesce(c.obs, c.o_st) END AS st,
             CASE WHEN NOT c.ok THEN NULL WHEN c.o_ffi IS NOT NULL THEN c.o_ffi WHEN c.obs = 'fail' THEN coalesce(c.f_id, c.v_id) END AS ffi,
             CASE WHEN NOT c.ok THEN NULL WHEN c.o_ffi IS NOT NULL THEN c.o_ffr WHEN c.obs = 'fail' THEN ${run}::int END AS ffr,
             CASE WHEN NOT c.ok THEN NULL WHEN c.o_ffi IS NOT NULL THEN c.o_ffa WHEN c.obs = 'fail' THEN coalesce(c.f_at, c.v_at) END AS ffa,
             CASE WHEN NOT c.ok THEN NULL WHEN c.o_ffi IS NOT NULL THEN c.o_ffe WHEN c.obs = 'fail' THEN c.el END AS ffe,
             CASE WHEN NOT c.ok THEN NULL WHEN c.o_fpi IS NOT NULL THEN c.o_fpi WHEN c.obs = 'pass' THEN coalesce(c.p_id, c.v_id) END AS fpi,
             CASE WHEN NOT c.ok THEN NULL WHEN c.o_fpi IS NOT NULL THEN c.o_fpr WHEN c.obs = 'pass' THEN ${run}::int END AS fpr,
             CASE WHEN NOT c.ok THEN NULL WHEN c.o_fpi IS NOT NULL THEN c.o_fpa WHEN c.obs = 'pass' THEN coalesce(c.p_at, c.v_at) END AS fpa,
             c.o_st, c.o_ffi, c.o_fpi, c.kline, c.kkey
      FROM carried c
    ), up AS (
      INSERT INTO "Cell" ("moduleVersionId","kernelId","arch","moduleId","status","stages","passCount","failCount","errorCount","skipCount","lastResultId","lastResultAt","errorLine","logUrl",
                          "observed","obsState","firstFailId","firstFailRunId","firstFailAt","firstFailError","firstPassId","firstPassRunId","firstPassAt",
                          "line","kernelKey","walked")
      -- A new cell takes its kernel's line and order; its regression step is written right after
      -- (cell-walks.ts walkCells). Existing cells keep theirs: a kernel's line and key only change
      -- under modcompat db reindex, which walks the module again.
      SELECT mv, k, a, "moduleId", status, stages, pc, fc, ec, sc, lr, la, el, "logUrl", ok, st, ffi, ffr, ffa, ffe, fpi, fpr, fpa,
             kline, kkey, kline IS NOT NULL FROM fin
      ON CONFLICT ("moduleVersionId","kernelId","arch") DO UPDATE SET
        "status" = EXCLUDED."status", "stages" = EXCLUDED."stages", "passCount" = EXCLUDED."passCount",
        "failCount" = EXCLUDED."failCount", "errorCount" = EXCLUDED."errorCount", "skipCount" = EXCLUDED."skipCount",
        "lastResultId" = EXCLUDED."lastResultId", "lastResultAt" = EXCLUDED."lastResultAt",
        "errorLine" = EXCLUDED."errorLine", "logUrl" = EXCLUDED."logUrl",
        "observed" = EXCLUDED."observed", "obsState" = EXCLUDED."obsState", "firstFailId" = EXCLUDED."firstFailId",
        "firstFailRunId" = EXCLUDED."firstFailRunId", "firstFailAt" = EXCLUDED."firstFailAt", "firstFailError" = EXCLUDED."firstFailError",
        "firstPassId" = EXCLUDED."firstPassId", "firstPassRunId" = EXCLUDED."firstPassRunId", "firstPassAt" = EXCLUDED."firstPassAt"
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM up)::int AS written,
      -- Detection reads state, first fail and first pass only; the ids of those observations
      -- change exactly when they do (a carried-forward observation keeps its result).
      coalesce((SELECT json_agg(json_build_array(mv, k, a)) FROM fin WHERE ok AND (st, ffi, fpi) IS DISTINCT FROM (o_st, o_ffi, o_fpi)), '[]') AS changed,
      coalesce((SELECT json_agg(json_build_array(mv, k, a)) FROM fin WHERE NOT ok), '[]') AS replay`,
  );
  const replay = out.replay.map(([moduleVersionId, kernelId, arch]) => ({ moduleVersionId, kernelId, arch }));
  await replayCellObservations(tx, replay);
  const changed = [...out.changed.map(([moduleVersionId, kernelId, arch]) => ({ moduleVersionId, kernelId, arch })), ...replay];
  // Only a changed summary can move a regression step (cell-walks.ts).
  const t0 = performance.now();
  const steps = await walkCells(tx, changed);
  const t = performance.now();
  await refreshVersionCellStates(tx, keys);
  if (process.env.MODCOMPAT_INGEST_PHASES === "1") {
    console.log(`[cells] ${out.written} cells, ${replay.length} replayed; walks ${(t - t0).toFixed(0)} ms (${changed.length} changed, ${steps} steps moved); states refresh ${(performance.now() - t).toFixed(0)} ms`);
  }
  return { written: out.written, changed };
}
