import { db, pgRead } from "../db/client";
import { notFound } from "./errors";

/** One module with its versions (newest first) and per-version cell counts. */
export async function getModule(slug: string) {
  const mod = await db().module.findUnique({
    where: { slug },
    include: { versions: { orderBy: { sortKey: "desc" }, select: { id: true, version: true, releasedAt: true, declaredKernelMin: true, declaredKernelMax: true } } },
  });
  if (!mod) throw notFound(`module "${slug}"`);
  const counts = await db().cell.groupBy({ by: ["moduleVersionId", "status"], where: { moduleId: mod.id }, _count: { _all: true } });
  return {
    slug: mod.slug,
    name: mod.name,
    homepage: mod.homepage,
    description: mod.description,
    versions: mod.versions.map(({ id, ...v }) => {
      const c = { pass: 0, fail: 0, error: 0, skip: 0 } as Record<string, number>;
      for (const row of counts) if (row.moduleVersionId === id) c[row.status] = row._count._all;
      return { ...v, cells: c };
    }),
  };
}

/**
 * A module's name, description and homepage (the module page's header), or not found: no
 * versions and no cell counts, which at 100 versions × 400 kernels means grouping 40,000 cells.
 */
export async function getModuleHeader(slug: string): Promise<{ slug: string; name: string; homepage: string | null; description: string | null }> {
  // node-pg straight (pgRead): every module page asks, and Prisma costs more Node CPU than the read.
  const [mod] = await pgRead<{ slug: string; name: string; homepage: string | null; description: string | null }>(`SELECT slug, name, homepage, description FROM "Module" WHERE slug = $1`, [slug]);
  if (!mod) throw notFound(`module "${slug}"`);
  return mod;
}
