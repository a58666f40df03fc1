import { db } from "../../db/client";
import type { FootprintView } from "../../domain/prediction";

export interface StoredFootprint extends FootprintView {
  module: string;
  version: string;
  moduleVersionId: number;
  kernel: string;
  kernelSortKey: string;
  arch: string;
}

/** Every footprint read for a blast radius or an evaluation: bounded, and the cap is reported. */
export const MAX_FOOTPRINTS = 20_000;

export async function loadFootprints(where: { moduleVersionIds?: number[] } = {}): Promise<{ footprints: StoredFootprint[]; truncated: boolean }> {
  const rows = await db().footprint.findMany({
    where: where.moduleVersionIds ? { moduleVersionId: { in: where.moduleVersionIds } } : {},
    take: MAX_FOOTPRINTS + 1,
    orderBy: [{ moduleVersionId: "asc" }, { kernelId: "asc" }],
  });
  const truncated = rows.length > MAX_FOOTPRINTS;
  const kept = rows.slice(0, MAX_FOOTPRINTS);
  const [versions, kernels] = await Promise.all([
    db().moduleVersion.findMany({ where: { id: { in: [...new Set(kept.map((r) => r.moduleVersionId))] } }, select: { id: true, version: true, module: { select: { slug: true } } } }),
    db().kernel.findMany({ where: { id: { in: [...new Set(kept.map((r) => r.kernelId))] } }, select: { id: true, version: true, sortKey: true } }),
  ]);
  const v = new Map(versions.map((x) => [x.id, x]));
  const k = new Map(kernels.map((x) => [x.id, x]));
  return {
    truncated,
    footprints: kept.map((r) => ({
      module: v.get(r.moduleVersionId)!.module.slug,
      version: v.get(r.moduleVersionId)!.version,
      moduleVersionId: r.moduleVersionId,
      kernel: k.get(r.kernelId)!.version,
      kernelSortKey: k.get(r.kernelId)!.sortKey,
      arch: r.arch,
      symbols: r.symbols,
      headers: r.headers,
      references: r.references,
      includes: r.includes,
      macroCalls: r.macroCalls,
      licences: r.licences,
      importedNamespaces: r.importedNamespaces,
    })),
  };
}
