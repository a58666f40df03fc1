import type { Tx } from "../../db/client";
import type { IngestResult } from "../../schemas/ingest";

/**
 * Store the footprints of an ingest's passing results, in its transaction. One row per
 * module version × kernel × arch; a newer footprint replaces the older one.
 */
export async function recordFootprints(
  tx: Tx,
  opts: { runId: number; results: readonly IngestResult[]; versionIds: Map<string, number>; kernelIds: Map<string, number> },
): Promise<number> {
  const rows = new Map<string, { moduleVersionId: number; kernelId: number; arch: string; symbols: string[]; headers: string[]; references: string[]; includes: string[]; macroCalls: string[]; licences: string[]; importedNamespaces: string[]; runId: number }>();
  for (const r of opts.results) {
    if (!r.footprint || r.status !== "pass") continue;
    const moduleVersionId = opts.versionIds.get(`${r.module}@${r.moduleVersion}`);
    const kernelId = opts.kernelIds.get(r.kernel);
    if (moduleVersionId === undefined || kernelId === undefined) continue;
    const f = r.footprint;
    rows.set(`${moduleVersionId}:${kernelId}:${r.arch}`, {
      moduleVersionId,
      kernelId,
      arch: r.arch,
      symbols: [...new Set(f.symbols)].sort(),
      headers: [...new Set(f.headers)].sort(),
      references: [...new Set(f.references ?? [])].sort(),
      includes: [...new Set(f.includes ?? [])].sort(),
      macroCalls: [...new Set(f.macroCalls ?? [])].sort(),
      licences: [...new Set(f.licences ?? [])].sort(),
      importedNamespaces: [...new Set(f.importedNamespaces ?? [])].sort(),
      runId: opts.runId,
    });
  }
  if (rows.size === 0) return 0;
  const data = [...rows.values()];
  await tx.footprint.deleteMany({ where: { OR: data.map((d) => ({ moduleVersionId: d.moduleVersionId, kernelId: d.kernelId, arch: d.arch })) } });
  await tx.footprint.createMany({ data });
  return data.length;
}
