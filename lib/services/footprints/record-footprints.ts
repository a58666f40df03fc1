import { sql, type SqlTarget } from "../../db/sql";
import { Prisma } from "../../generated/prisma/client";
import type { IngestResult } from "../../schemas/ingest";

/**
 * Store the footprints of an ingest's passing results, in its transaction. One row per
 * module version × kernel × arch; a newer footprint replaces the older one (an upsert, recordedAt now).
 */
export async function recordFootprints(
  tx: SqlTarget,
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
  // One statement: the rows travel as one jsonb array (text[] columns of different lengths do not fit unnest).
  const list = (field: string) => Prisma.sql`ARRAY(SELECT x FROM jsonb_array_elements_text(e->${field}) WITH ORDINALITY AS t(x, i) ORDER BY i)`;
  await sql(
    tx,
    Prisma.sql`
    INSERT INTO "Footprint" ("moduleVersionId", "kernelId", arch, symbols, headers, "references", includes, "macroCalls", licences, "importedNamespaces", "runId")
    SELECT (e->>'moduleVersionId')::int, (e->>'kernelId')::int, e->>'arch', ${list("symbols")}, ${list("headers")}, ${list("references")}, ${list("includes")},
           ${list("macroCalls")}, ${list("licences")}, ${list("importedNamespaces")}, (e->>'runId')::int
    FROM jsonb_array_elements(${JSON.stringify(data)}::jsonb) AS e
    ORDER BY 1, 2, 3
    ON CONFLICT ("moduleVersionId", "kernelId", arch) DO UPDATE SET
      symbols = EXCLUDED.symbols, headers = EXCLUDED.headers, "references" = EXCLUDED."references", includes = EXCLUDED.includes,
      "macroCalls" = EXCLUDED."macroCalls", licences = EXCLUDED.licences, "importedNamespaces" = EXCLUDED."importedNamespaces",
      "runId" = EXCLUDED."runId", "recordedAt" = EXCLUDED."recordedAt"
    RETURNING 1 AS ok`,
  );
  return data.length;
}
