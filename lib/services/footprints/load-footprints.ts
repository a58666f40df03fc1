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
  const versionIds = [...new Set(kept.map((r) => r.moduleVersionId))];
  const [versions, kernels, scans] = await Promise.all([
    db().moduleVersion.findMany({ where: { id: { in: [...new Set(kept.map((r) => r.moduleVersionId))] } }, select: { id: true, version: true, module: { select: { slug: true } } } }),
    db().kernel.findMany({ where: { id: { in: [...new Set(kept.map((r) => r.kernelId))] } }, select: { id: true, version: true, sortKey: true } }),
    db().sourceScan.findMany({ where: { moduleVersionId: { in: versionIds } }, select: { moduleVersionId: true, calls: true } }),
  ]);
  // a source scan (modcompat footprints scan-sources) adds the calls of footprints recorded before every call was kept
  const scanned = new Map(scans.map((x) => [x.moduleVersionId, x.calls]));
  const calls = (r: { moduleVersionId: number; macroCalls: string[] }) => {
    const extra = scanned.get(r.moduleVersionId);
    return extra ? [...new Set([...r.macroCalls, ...extra])].sort() : r.macroCalls;
  };
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
      macroCalls: calls(r),
      licences: r.licences,
      importedNamespaces: r.importedNamespaces,
    })),
  };
}
