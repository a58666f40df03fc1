import { db, pgRead } from "../db/client";
import { loadModuleSupport, type ModuleSupport } from "./module-support";
import { moduleListState, type ModuleListState } from "../domain/module-state";
import { moduleSlugCandidates } from "../domain/module-alias";
import type { Status } from "../domain/status";

/** A row of the home page's module list. */
export interface ModuleRow {
  slug: string;
  name: string;
  description: string | null;
  versionCount: number;
  newestVersion: string | null;
  /** the newest version with results on the newest generic kernel of each series (lib/domain/module-state.ts) */
  newest: ModuleListState;
  /** the last kernel its newest built version builds on, and whether it is orphaned (lib/domain/support-state.ts) */
  support: ModuleSupport;
}

/** A module of GET /api/v1/modules: the row, with its counts. */
export interface ModuleSummary extends ModuleRow {
  /** newest kernel (kernel order) on which the newest version passes */
  newestPassingKernel: string | null;
  cellCount: number;
  failingCells: number;
}

/**
 * Hard cap of the module list (home page and GET /api/v1/modules): any token can create modules,
 * so the list is cut at 500 (alphabetical) and both say so and offer `?q=` to narrow.
 */
export const MODULE_LIST_MAX = 500;

/** Modules per page of the home page: a screen or two of rows; each row costs a few queries' worth of work. */
export const MODULE_PAGE_SIZE = 100;

function moduleWhere(q: string | undefined) {
  return q ? { OR: [{ slug: { in: moduleSlugCandidates(q) } }, { slug: { contains: q, mode: "insensitive" as const } }, { name: { contains: q, mode: "insensitive" as const } }, { description: { contains: q, mode: "insensitive" as const } }] } : undefined;
}

/** How many modules the list (with the same `q`) holds. */
export async function countModules(q?: string): Promise<number> {
  const query = q?.trim();
  // Unfiltered (the landing page), through node-pg (pgRead): Prisma compiles each statement again.
  if (!query) return (await pgRead<{ n: number }>(`SELECT count(*)::int AS n FROM "Module"`, []))[0].n;
  return db().module.count({ where: moduleWhere(query) });
}

interface FoundModule extends ModuleRow {
  id: number;
  newestVersionId: number | null;
}

/**
 * The module rows, `limit` at most from `offset` (slug order), with what the home page shows of
 * each: the counts the API adds cost two aggregates over the modules' cells and a statement more.
 */
async function findModules(opts: { q?: string; limit?: number; offset?: number }): Promise<FoundModule[]> {
  const q = opts.q?.trim();
  // Unfiltered (the landing page) through node-pg (pgRead); the search keeps Prisma's `contains`.
  const modules = q
    ? await db().module.findMany({ take: opts.limit, skip: opts.offset, where: moduleWhere(q), orderBy: { slug: "asc" }, select: { id: true, slug: true, name: true, description: true } })
    : await pgRead<{ id: number; slug: string; name: string; description: string | null }>(`SELECT id, slug, name, description FROM "Module" ORDER BY slug LIMIT $1 OFFSET $2`, [
        opts.limit ?? null,
        opts.offset ?? 0,
      ]);
  if (modules.length === 0) return [];
  const ids = modules.map((m) => m.id);
  // node-pg straight (pgRead): each module's newest version (sortKey, then id) and its number of versions.
  const [versions, support, newestCells] = await Promise.all([
    pgRead<{ moduleId: number; id: number; version: string; n: number }>(
      `SELECT DISTINCT ON ("moduleId") "moduleId", id, version, count(*) OVER (PARTITION BY "moduleId")::int AS n
       FROM "ModuleVersion" WHERE "moduleId" = ANY($1::int[]) ORDER BY "moduleId", "sortKey" DESC, id`,
      [ids],
    ),
    loadModuleSupport(ids),
    loadNewestVersionCells(ids),
  ]);
  const newest = new Map(versions.map((v) => [v.moduleId, v]));
  return modules.map((m) => ({
    id: m.id,
    slug: m.slug,
    name: m.name,
    description: m.description,
    versionCount: newest.get(m.id)?.n ?? 0,
    newestVersion: newest.get(m.id)?.version ?? null,
    newestVersionId: newest.get(m.id)?.id ?? null,
    newest: newestState(newestCells.get(m.id) ?? []),
    support: support.get(m.id)!,
  }));
}

/** The home page's module list: `limit` rows at most from `offset` (slug order). */
export async function listModuleRows(opts: { q?: string; limit?: number; offset?: number } = {}): Promise<ModuleRow[]> {
  return (await findModules(opts)).map((m) => ({
    slug: m.slug,
    name: m.name,
    description: m.description,
    versionCount: m.versionCount,
    newestVersion: m.newestVersion,
    newest: m.newest,
    support: m.support,
  }));
}

/** GET /api/v1/modules: the module rows with their counts; `limit` rows at most from `offset` (slug order). */
export async function listModules(opts: { q?: string; limit?: number; offset?: number } = {}): Promise<ModuleSummary[]> {
  const modules = await findModules(opts);
  if (modules.length === 0) return [];
  const ids = modules.map((m) => m.id);
  const newestIds = modules.flatMap((m) => (m.newestVersionId === null ? [] : [m.newestVersionId]));
  // node-pg straight (pgRead): one statement for both counts instead of two Prisma aggregates.
  const [counts, passing] = await Promise.all([
    pgRead<{ moduleId: number; cells: number; failing: number }>(
      `SELECT "moduleId", count(*)::int AS cells, (count(*) FILTER (WHERE status = 'fail'))::int AS failing
       FROM "Cell" WHERE "moduleId" = ANY($1::int[]) GROUP BY "moduleId"`,
      [ids],
    ),
    // One row per module (the newest passing kernel), not every passing cell: a module with 5,000
    // kernels made this page read 5,000 rows per request.
    newestIds.length === 0
      ? []
      : pgRead<{ moduleId: number; version: string }>(
          `SELECT DISTINCT ON (c."moduleId") c."moduleId" AS "moduleId", k.version
           FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId"
           WHERE c."moduleVersionId" = ANY($1::int[]) AND c.status = 'pass'
           ORDER BY c."moduleId", k."sortKey" DESC`,
          [newestIds],
        ),
  ]);
  const bestKernel = new Map(passing.map((p) => [p.moduleId, p]));
  const countOf = new Map(counts.map((c) => [c.moduleId, c]));
  return modules.map((m) => ({
    slug: m.slug,
    name: m.name,
    description: m.description,
    versionCount: m.versionCount,
    newestVersion: m.newestVersion,
    newestPassingKernel: bestKernel.get(m.id)?.version ?? null,
    cellCount: countOf.get(m.id)?.cells ?? 0,
    failingCells: countOf.get(m.id)?.failing ?? 0,
    newest: m.newest,
    support: m.support,
  }));
}

type NewestCellRow = { moduleId: number; version: string; kernel: string; series: string; rc: number | null; prerelease: boolean; status: string };

function newestState(rows: readonly NewestCellRow[]): ModuleListState {
  return moduleListState({ version: rows[0]?.version ?? null, cells: rows.map((r) => ({ ...r, status: r.status as Status })) });
}

/** The cells of each module's newest version that has any result, with their kernels: one statement. */
async function loadNewestVersionCells(moduleIds: readonly number[]): Promise<Map<number, NewestCellRow[]>> {
  const rows = await db().$queryRaw<NewestCellRow[]>`
    WITH newest AS (
      SELECT DISTINCT ON (mv."moduleId") mv."moduleId", mv.id, mv.version
      FROM "ModuleVersion" mv
      WHERE mv."moduleId" = ANY(${[...moduleIds]}::int[])
        AND EXISTS (SELECT 1 FROM "Cell" c WHERE c."moduleVersionId" = mv.id)
      ORDER BY mv."moduleId", mv."sortKey" DESC
    )
    SELECT n."moduleId", n.version, k.version AS kernel, k.series, k.rc, k.prerelease, c.status
    FROM newest n JOIN "Cell" c ON c."moduleVersionId" = n.id JOIN "Kernel" k ON k.id = c."kernelId"`;
  const out = new Map<number, NewestCellRow[]>();
  for (const r of rows) out.set(r.moduleId, [...(out.get(r.moduleId) ?? []), r]);
  return out;
}
