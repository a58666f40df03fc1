import { db } from "../db/client";
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
