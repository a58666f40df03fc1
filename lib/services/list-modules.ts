import { db } from "../db/client";
import { loadModuleSupport, type ModuleSupport } from "./module-support";

export interface ModuleSummary {
  slug: string;
  name: string;
  description: string | null;
  versionCount: number;
  newestVersion: string | null;
  /** newest kernel (kernel order) on which the newest version passes */
  newestPassingKernel: string | null;
  cellCount: number;
  failingCells: number;
  /** the last kernel its newest built version builds on, and whether it is orphaned (lib/domain/support-state.ts) */
  support: ModuleSupport;
}

/** The module list of the home page and GET /api/v1/modules. */
export async function listModules(opts: { q?: string } = {}): Promise<ModuleSummary[]> {
  const q = opts.q?.trim();
  const modules = await db().module.findMany({
    where: q ? { OR: [{ slug: { contains: q, mode: "insensitive" } }, { name: { contains: q, mode: "insensitive" } }, { description: { contains: q, mode: "insensitive" } }] } : undefined,
    orderBy: { slug: "asc" },
    select: { id: true, slug: true, name: true, description: true, versions: { select: { id: true, version: true, sortKey: true } } },
  });
  if (modules.length === 0) return [];
  const ids = modules.map((m) => m.id);
  const [cellCounts, failCounts, support] = await Promise.all([
    db().cell.groupBy({ by: ["moduleId"], where: { moduleId: { in: ids } }, _count: { _all: true } }),
    db().cell.groupBy({ by: ["moduleId"], where: { moduleId: { in: ids }, status: "fail" }, _count: { _all: true } }),
    loadModuleSupport(ids),
  ]);
  const newest = new Map(
    modules.map((m) => [m.id, m.versions.reduce<(typeof m.versions)[number] | null>((a, v) => (!a || v.sortKey > a.sortKey ? v : a), null)]),
  );
  const newestIds = [...newest.values()].flatMap((v) => (v ? [v.id] : []));
  const passing = await db().cell.findMany({
    where: { moduleVersionId: { in: newestIds }, status: "pass" },
    select: { moduleId: true, kernel: { select: { version: true, sortKey: true } } },
  });
  const bestKernel = new Map<number, { version: string; sortKey: string }>();
  for (const c of passing) {
    const held = bestKernel.get(c.moduleId);
    if (!held || c.kernel.sortKey > held.sortKey) bestKernel.set(c.moduleId, c.kernel);
  }
  const count = (rows: { moduleId: number; _count: { _all: number } }[], id: number) => rows.find((r) => r.moduleId === id)?._count._all ?? 0;
  return modules.map((m) => ({
    slug: m.slug,
    name: m.name,
    description: m.description,
    versionCount: m.versions.length,
    newestVersion: newest.get(m.id)?.version ?? null,
    newestPassingKernel: bestKernel.get(m.id)?.version ?? null,
    cellCount: count(cellCounts, m.id),
    failingCells: count(failCounts, m.id),
    support: support.get(m.id)!,
  }));
}
