import type { Tx } from "../db/client";
import { foldCell, STAGES, type FoldedCell, type FoldInput, type Stage, type Status } from "../domain/status";
import { refreshVersionCellStates } from "./version-cell-states";

export interface CellKey {
  moduleVersionId: number;
  kernelId: number;
  arch: string;
}

const keyOf = (k: CellKey) => `${k.moduleVersionId}:${k.kernelId}:${k.arch}`;

export type CellRow = CellKey & FoldedCell & { moduleId: number };

/**
 * The summary rows the given cells should have, folded from their raw results by foldCell
 * (lib/domain/status.ts, the only place the folding rule lives). A key without results has no row.
 */
export async function foldCellRows(tx: Pick<Tx, "result" | "moduleVersion">, keys: readonly CellKey[]): Promise<CellRow[]> {
  if (keys.length === 0) return [];
  const wanted = new Set(keys.map(keyOf));
  const mvIds = [...new Set(keys.map((k) => k.moduleVersionId))];
  const kernelIds = [...new Set(keys.map((k) => k.kernelId))];
  const raw = await tx.result.findMany({
    where: { moduleVersionId: { in: mvIds }, kernelId: { in: kernelIds } },
    select: { id: true, moduleVersionId: true, kernelId: true, arch: true, stage: true, status: true, finishedAt: true, errorLine: true, logUrl: true },
  });
  const groups = new Map<string, FoldInput[]>();
  for (const r of raw) {
    const k = keyOf(r);
    if (!wanted.has(k)) continue;
    const list = groups.get(k) ?? [];
    list.push({ ...r, stage: r.stage as Stage, status: r.status as Status });
    groups.set(k, list);
  }
  const versions = await tx.moduleVersion.findMany({ where: { id: { in: mvIds } }, select: { id: true, moduleId: true } });
  const moduleOf = new Map(versions.map((v) => [v.id, v.moduleId]));

  return keys.flatMap((k) => {
    const folded = foldCell(groups.get(keyOf(k)) ?? []);
    return folded ? [{ ...k, moduleId: moduleOf.get(k.moduleVersionId)!, ...folded }] : [];
  });
}

/**
 * Rebuild the summary rows of the given cells from their raw results, then the VersionCellStates
 * rows of their version × series pairs. Returns the number of cells written.
 *
 * The fold runs in PostgreSQL, in one statement: only the touched cells' own results are read (by
 * the Result (moduleVersionId, kernelId, arch) index) and nothing is loaded into Node (issue 14).
 * It is foldCell (lib/domain/status.ts) written in SQL: per stage the newest meaningful result
 * (newest by finishedAt then id; `error` only when the stage has nothing else), the cell's status
 * the worst stage by FOLD_RANK (error < pass < skip < fail), error line and log of the first stage
 * in STAGES order holding that status, counts per status, last result the newest of all.
 * foldCellRows above stays the reference: `modcompat db reindex --check` compares the two, and
 * tests/integration/reindex.test.ts proves they agree.
 */
export async function recomputeCells(tx: Tx, keys: readonly CellKey[]): Promise<number> {
  if (keys.length === 0) return 0;
  const written = await tx.$executeRaw`
    WITH keys AS (
      SELECT DISTINCT mv, k, a FROM unnest(${keys.map((k) => k.moduleVersionId)}::int[], ${keys.map((k) => k.kernelId)}::int[], ${keys.map((k) => k.arch)}::text[]) AS u(mv, k, a)
    ), res AS (
      SELECT keys.mv, keys.k, keys.a, r.id, r.stage, r.status, r."finishedAt", r."errorLine", r."logUrl"
      FROM keys JOIN "Result" r ON r."moduleVersionId" = keys.mv AND r."kernelId" = keys.k AND r.arch = keys.a
    ), ranked AS (
      -- per stage, the newest meaningful result (an error only when nothing else) is rn = 1
      SELECT mv, k, a, id, stage, status, "finishedAt", "errorLine", "logUrl",
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
             (array_agg(id ORDER BY "finishedAt" DESC, id DESC))[1] AS lr, max("finishedAt") AS la
      FROM ranked GROUP BY mv, k, a
    )
    INSERT INTO "Cell" ("moduleVersionId","kernelId","arch","moduleId","status","stages","passCount","failCount","errorCount","skipCount","lastResultId","lastResultAt","errorLine","logUrl")
    SELECT g.mv, g.k, g.a, v."moduleId", g.status, g.stages, g.pc, g.fc, g.ec, g.sc, g.lr, g.la,
           CASE WHEN g.status = 'pass' THEN NULL ELSE g."errorLine" END, g."logUrl"
    FROM agg g JOIN "ModuleVersion" v ON v.id = g.mv
    ON CONFLICT ("moduleVersionId","kernelId","arch") DO UPDATE SET
      "status" = EXCLUDED."status", "stages" = EXCLUDED."stages", "passCount" = EXCLUDED."passCount",
      "failCount" = EXCLUDED."failCount", "errorCount" = EXCLUDED."errorCount", "skipCount" = EXCLUDED."skipCount",
      "lastResultId" = EXCLUDED."lastResultId", "lastResultAt" = EXCLUDED."lastResultAt",
      "errorLine" = EXCLUDED."errorLine", "logUrl" = EXCLUDED."logUrl"`;
  const t = performance.now();
  await refreshVersionCellStates(tx, keys);
  if (process.env.MODCOMPAT_INGEST_PHASES === "1") console.log(`[cells] ${written} cells; states refresh ${(performance.now() - t).toFixed(0)} ms`);
  return written;
}
