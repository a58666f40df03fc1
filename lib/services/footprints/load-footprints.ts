import { pgRead } from "../../db/client";
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

/**
 * Footprints with their module, version and kernel, oldest version first, in one node-pg statement.
 * The arrays travel as JSON, which node-pg parses natively: as PostgreSQL `text[]` (Prisma) each
 * was parsed character by character in JavaScript, about 20 ms per expanded series' footprints on
 * the demo, and Prisma read the versions, kernels and source scans with a statement each.
 * tests/integration/load-footprints.test.ts proves the answer equal to the Prisma reads it replaces.
 */
export async function loadFootprints(where: { moduleVersionIds?: number[] } = {}): Promise<{ footprints: StoredFootprint[]; truncated: boolean }> {
  const filtered = where.moduleVersionIds !== undefined;
  const rows = await pgRead<Omit<StoredFootprint, "macroCalls"> & { macroCalls: string[]; scanCalls: string[] | null }>(
    `SELECT f."moduleVersionId", f."kernelId", f.arch, m.slug AS module, v.version, k.version AS kernel, k."sortKey" AS "kernelSortKey",
            array_to_json(f.symbols) AS symbols, array_to_json(f.headers) AS headers, array_to_json(f."references") AS "references",
            array_to_json(f.includes) AS includes, array_to_json(f."macroCalls") AS "macroCalls", array_to_json(f.licences) AS licences,
            array_to_json(f."importedNamespaces") AS "importedNamespaces", array_to_json(s.calls) AS "scanCalls"
     FROM "Footprint" f
     JOIN "ModuleVersion" v ON v.id = f."moduleVersionId"
     JOIN "Module" m ON m.id = v."moduleId"
     JOIN "Kernel" k ON k.id = f."kernelId"
     LEFT JOIN "SourceScan" s ON s."moduleVersionId" = f."moduleVersionId"
     ${filtered ? `WHERE f."moduleVersionId" = ANY($2::int[])` : ""}
     ORDER BY f."moduleVersionId", f."kernelId", f.arch
     LIMIT $1`,
    filtered ? [MAX_FOOTPRINTS + 1, where.moduleVersionIds] : [MAX_FOOTPRINTS + 1],
  );
  const truncated = rows.length > MAX_FOOTPRINTS;
  return {
    truncated,
    footprints: rows.slice(0, MAX_FOOTPRINTS).map(({ scanCalls, ...r }) => ({
      module: r.module,
      version: r.version,
      moduleVersionId: r.moduleVersionId,
      kernel: r.kernel,
      kernelSortKey: r.kernelSortKey,
      arch: r.arch,
      symbols: r.symbols,
      headers: r.headers,
      references: r.references,
      includes: r.includes,
      // a source scan (modcompat footprints scan-sources) adds the calls of footprints recorded before every call was kept
      macroCalls: scanCalls ? [...new Set([...r.macroCalls, ...scanCalls])].sort() : r.macroCalls,
      licences: r.licences,
      importedNamespaces: r.importedNamespaces,
    })),
  };
}
