import { sql, type SqlTarget } from "../db/sql";
import { Prisma } from "../generated/prisma/client";
import { kernelLine } from "../domain/kernel-version";
import { cellVerdict, classifyTransition, gridsOfCells, regressionSteps, type CellState, type CellSummary } from "../domain/regressions";

/**
 * Each cell's place in its version's walk along its kernel line (migration 0012, issue 14): the
 * line and sort key of its kernel, copied from Kernel so that a version's cells of one arch × line
 * are one index range in kernel order, and on the failing cell of every pass → fail step of the
 * walk (regressionSteps, lib/domain/regressions.ts) the kernel of the pass before it
 * (`lastGoodKernelId`). Detection starts from those steps and looks the rest up by index
 * (regressions/detect-grid-incidents.ts) instead of reading every cell of a grid.
 */

export interface WalkKey {
  moduleVersionId: number;
  kernelId: number;
  arch: string;
}

/** Where a walk is: a version, an arch, a line and a kernel key (SQL expressions). */
interface WalkPoint {
  mv: Prisma.Sql;
  arch: Prisma.Sql;
  line: Prisma.Sql;
  key: Prisma.Sql;
}

/**
 * The next cell with a verdict after `at` in its version's walk, or the one before it (`dir` "<"):
 * one descent of "Cell_walk_idx" per verdict. Only pass and fail are verdicts (cellVerdict).
 */
function neighbour(at: WalkPoint, dir: ">" | "<"): Prisma.Sql {
  const op = Prisma.raw(dir);
  const order = Prisma.raw(dir === ">" ? "ASC" : "DESC");
  const one = (verdict: string) => Prisma.sql`
    (SELECT n."kernelId", n."kernelKey", n."obsState" FROM "Cell" n
     WHERE n."moduleVersionId" = ${at.mv} AND n.arch = ${at.arch} AND n.line = ${at.line} AND n."obsState" = ${verdict} AND n."kernelKey" ${op} ${at.key}
     ORDER BY n."kernelKey" ${order} LIMIT 1)`;
  return Prisma.sql`(SELECT u.* FROM (${one("pass")} UNION ALL ${one("fail")}) u ORDER BY u."kernelKey" ${order} LIMIT 1)`;
}

/** A step's last good kernel, by the one transition rule: the cell fails and the verdict before it passed. */
function stepFrom(state: string | null, previous: { kernelId: number; state: string } | null): number | null {
  const verdict = cellVerdict(state as CellState | null);
  if (!verdict || !previous) return null;
  return classifyTransition(cellVerdict(previous.state as CellState), verdict) === "regression" ? previous.kernelId : null;
}

/**
 * After the given cells' detection summaries changed (recompute-cells.ts foldCells), the steps
 * they can move: a cell's step depends on itself and the verdict before it, so per version × arch
 * × line the cells with a verdict from the one before the first changed cell to the one after
 * the last are walked again (two index ranges of "Cell_walk_idx"; a batch that adds kernels at
 * the end of a line reads little more than its own cells), and a changed cell without a verdict
 * has no step. Cells not walked yet are left to walkModule.
 */
export async function walkCells(tx: SqlTarget, keys: readonly WalkKey[]): Promise<number> {
  if (keys.length === 0) return 0;
  const at = { mv: Prisma.sql`g."moduleVersionId"`, arch: Prisma.sql`g.arch`, line: Prisma.sql`g.line` };
  const rows = await sql<{ mv: number; k: number; a: string; line: string; kk: string; st: string | null; stored: number | null; edge: boolean; changed: boolean }>(tx, Prisma.sql`
    WITH ch AS (
      SELECT DISTINCT mv, k, a FROM unnest(${keys.map((k) => k.moduleVersionId)}::int[], ${keys.map((k) => k.kernelId)}::int[], ${keys.map((k) => k.arch)}::text[]) AS u(mv, k, a)
    ), cc AS (
      SELECT c.* FROM ch JOIN "Cell" c ON c."moduleVersionId" = ch.mv AND c."kernelId" = ch.k AND c.arch = ch.a WHERE c.walked AND c.line IS NOT NULL
    ), g AS (
      SELECT "moduleVersionId", arch, line, min("kernelKey") AS lo, max("kernelKey") AS hi FROM cc GROUP BY 1, 2, 3
    ), b AS (
      SELECT g."moduleVersionId", g.arch, g.line, coalesce(pv."kernelKey", g.lo) AS lo, pv."kernelKey" AS edge, coalesce(nx."kernelKey", g.hi) AS hi
      FROM g LEFT JOIN LATERAL ${neighbour({ ...at, key: Prisma.sql`g.lo` }, "<")} pv ON true
      LEFT JOIN LATERAL ${neighbour({ ...at, key: Prisma.sql`g.hi` }, ">")} nx ON true
    )
    SELECT c."moduleVersionId" AS mv, c."kernelId" AS k, c.arch AS a, c.line, c."kernelKey" AS kk, c."obsState" AS st, c."lastGoodKernelId" AS stored,
           c."kernelKey" = b.edge AS edge, false AS changed
    FROM b JOIN "Cell" c ON c."moduleVersionId" = b."moduleVersionId" AND c.arch = b.arch AND c.line = b.line
      AND c."obsState" IN ('pass', 'fail') AND c."kernelKey" >= b.lo AND c."kernelKey" <= b.hi
    UNION ALL
    SELECT "moduleVersionId", "kernelId", arch, line, "kernelKey", "obsState", "lastGoodKernelId", false, true FROM cc WHERE "obsState" IS DISTINCT FROM 'pass' AND "obsState" IS DISTINCT FROM 'fail'`);
  // Walk each range in kernel order; its first cell is the verdict before the changes (edge),
  // whose own step does not move, or the first verdict of the walk, which has no step.
  const walks = new Map<string, typeof rows>();
  const moved: { mv: number; k: number; a: string; want: number | null }[] = [];
  for (const r of rows) {
    if (r.changed) {
      if (r.stored !== null) moved.push({ ...r, want: null });
      continue;
    }
    const id = `${r.mv}\0${r.a}\0${r.line}`;
    const list = walks.get(id);
    if (list) list.push(r);
    else walks.set(id, [r]);
  }
  for (const walk of walks.values()) {
    walk.sort((x, y) => (x.kk < y.kk ? -1 : x.kk > y.kk ? 1 : 0));
    walk.forEach((r, i) => {
      if (r.edge) return;
      const want = stepFrom(r.st, i === 0 ? null : { kernelId: walk[i - 1].k, state: walk[i - 1].st! });
      if (want !== r.stored) moved.push({ ...r, want });
    });
  }
  if (moved.length > 0) {
    await sql(tx, Prisma.sql`
      UPDATE "Cell" c SET "lastGoodKernelId" = u.g
      FROM unnest(${moved.map((r) => r.mv)}::int[], ${moved.map((r) => r.k)}::int[], ${moved.map((r) => r.a)}::text[], ${moved.map((r) => r.want)}::int[]) AS u(mv, k, a, g)
      WHERE c."moduleVersionId" = u.mv AND c."kernelId" = u.k AND c.arch = u.a`);
  }
  return moved.length;
}

/** One cell as the whole-module walk reads it. */
export interface WalkedCell extends WalkKey {
  kernel: string;
  obsState: string | null;
}

const keyOf = (c: WalkKey) => `${c.moduleVersionId}:${c.kernelId}:${c.arch}`;

/**
 * Every cell's last good kernel (null: not a step) from the pure walk over the module's cells
 * (gridsOfCells, regressionSteps): what walkModule writes and `modcompat db reindex --check` expects.
 */
export function expectedSteps(cells: readonly WalkedCell[]): Map<string, number | null> {
  const kernelIds = new Map(cells.map((c) => [c.kernel, c.kernelId]));
  const summaries: CellSummary[] = cells.flatMap((c) =>
    c.obsState === null ? [] : [{ version: String(c.moduleVersionId), kernel: c.kernel, arch: c.arch, state: c.obsState as CellState, firstFail: null, firstPass: null }],
  );
  const out = new Map<string, number | null>(cells.map((c) => [keyOf(c), null]));
  for (const grid of gridsOfCells(summaries)) {
    for (const s of regressionSteps(grid)) {
      out.set(keyOf({ moduleVersionId: Number(s.version), kernelId: kernelIds.get(s.firstBad)!, arch: grid.arch }), kernelIds.get(s.lastGood)!);
    }
  }
  return out;
}

/** A module's cells with their kernel strings, for expectedSteps. */
async function loadWalkedCells(tx: SqlTarget, moduleId: number): Promise<(WalkedCell & { line: string | null; kernelKey: string | null; lastGoodKernelId: number | null; walked: boolean })[]> {
  return sql(tx, Prisma.sql`
    SELECT c."moduleVersionId", c."kernelId", c.arch, k.version AS kernel, c."obsState", c.line, c."kernelKey", c."lastGoodKernelId", c.walked
    FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId" WHERE c."moduleId" = ${moduleId}`);
}

/**
 * Walk a module whole: its kernels' lines where unknown (rows from before migration 0012), every
 * cell's line and key from its kernel, and every cell's step from the pure walk. Its cells'
 * detection summaries must be current (observed).
 */
export async function walkModule(tx: SqlTarget, moduleId: number): Promise<void> {
  const unlined = await sql<{ id: number; version: string }>(tx, Prisma.sql`
    SELECT DISTINCT k.id, k.version FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId" WHERE c."moduleId" = ${moduleId} AND k.line IS NULL`);
  if (unlined.length > 0) {
    await sql(tx, Prisma.sql`
      UPDATE "Kernel" k SET line = u.line FROM unnest(${unlined.map((k) => k.id)}::int[], ${unlined.map((k) => kernelLine(k.version))}::text[]) AS u(id, line)
      WHERE k.id = u.id`);
  }
  await sql(tx, Prisma.sql`
    UPDATE "Cell" c SET line = k.line, "kernelKey" = k."sortKey" FROM "Kernel" k
    WHERE k.id = c."kernelId" AND c."moduleId" = ${moduleId} AND (c.line, c."kernelKey") IS DISTINCT FROM (k.line, k."sortKey")`);
  const cells = await loadWalkedCells(tx, moduleId);
  const steps = expectedSteps(cells);
  const rows = cells.map((c) => ({ ...c, want: steps.get(keyOf(c)) ?? null })).filter((c) => !c.walked || c.want !== c.lastGoodKernelId);
  if (rows.length === 0) return;
  await sql(tx, Prisma.sql`
    UPDATE "Cell" c SET "lastGoodKernelId" = u.g, walked = true
    FROM unnest(${rows.map((r) => r.moduleVersionId)}::int[], ${rows.map((r) => r.kernelId)}::int[], ${rows.map((r) => r.arch)}::text[], ${rows.map((r) => r.want)}::int[]) AS u(mv, k, a, g)
    WHERE c."moduleVersionId" = u.mv AND c."kernelId" = u.k AND c.arch = u.a`);
}
