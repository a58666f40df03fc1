import type { Tx } from "../db/client";
import { foldCell, type FoldedCell, type FoldInput, type Stage, type Status } from "../domain/status";
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
 * Rebuild the summary rows of the given cells from their raw results (foldCellRows), then the
 * VersionCellStates rows of their module versions. Returns the number of cells written.
 */
export async function recomputeCells(tx: Tx, keys: readonly CellKey[]): Promise<number> {
  if (keys.length === 0) return 0;
  const rows = await foldCellRows(tx, keys);
  // One statement for the whole batch: unnest the columns and upsert. Times travel as ISO text
  // because Prisma keeps DateTime as UTC in `timestamp(3)` and pg would send Dates in local time.
  await tx.$executeRaw`
    INSERT INTO "Cell" ("moduleVersionId","kernelId","arch","moduleId","status","stages","passCount","failCount","errorCount","skipCount","lastResultId","lastResultAt","errorLine","logUrl")
    SELECT mv, k, a, m, st, sg, pc, fc, ec, sc, lr, (la::timestamptz AT TIME ZONE 'UTC')::timestamp(3), el, lu FROM unnest(
      ${rows.map((r) => r.moduleVersionId)}::int[], ${rows.map((r) => r.kernelId)}::int[], ${rows.map((r) => r.arch)}::text[],
      ${rows.map((r) => r.moduleId)}::int[], ${rows.map((r) => r.status)}::text[], ${rows.map((r) => JSON.stringify(r.stages))}::jsonb[],
      ${rows.map((r) => r.passCount)}::int[], ${rows.map((r) => r.failCount)}::int[], ${rows.map((r) => r.errorCount)}::int[],
      ${rows.map((r) => r.skipCount)}::int[], ${rows.map((r) => r.lastResultId)}::int[], ${rows.map((r) => r.lastResultAt.toISOString())}::text[],
      ${rows.map((r) => r.errorLine)}::text[], ${rows.map((r) => r.logUrl)}::text[])
      AS u(mv, k, a, m, st, sg, pc, fc, ec, sc, lr, la, el, lu)
    ON CONFLICT ("moduleVersionId","kernelId","arch") DO UPDATE SET
      "status" = EXCLUDED."status", "stages" = EXCLUDED."stages", "passCount" = EXCLUDED."passCount",
      "failCount" = EXCLUDED."failCount", "errorCount" = EXCLUDED."errorCount", "skipCount" = EXCLUDED."skipCount",
      "lastResultId" = EXCLUDED."lastResultId", "lastResultAt" = EXCLUDED."lastResultAt",
      "errorLine" = EXCLUDED."errorLine", "logUrl" = EXCLUDED."logUrl"`;
  await refreshVersionCellStates(tx, keys);
  return rows.length;
}
