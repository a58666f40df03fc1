import { db } from "../db/client";
import type { KnownResultsQuery } from "../schemas/query";

type Combo = { module: string; moduleVersion: string; kernel: string; arch: string };

/**
 * Module version × kernel × arch combinations a source has already reported (runner --skip-known),
 * one page at a time: at most `limit` of the source's results, in result id order, so a request
 * reads a bounded number of rows however much the source has sent. `next` continues after them.
 */
export async function knownResults(q: KnownResultsQuery): Promise<{ known: Combo[]; next: string | null }> {
  const rows = await db().$queryRaw<(Combo & { id: number })[]>`
    SELECT r.id, m.slug AS "module", mv.version AS "moduleVersion", k.version AS "kernel", r.arch AS "arch"
    FROM "Result" r
    JOIN "Run" run ON run.id = r."runId"
    JOIN "ModuleVersion" mv ON mv.id = r."moduleVersionId"
    JOIN "Module" m ON m.id = mv."moduleId"
    JOIN "Kernel" k ON k.id = r."kernelId"
    WHERE run.source = ${q.source} AND r.id > ${q.after ?? 0}
    ORDER BY r.id
    LIMIT ${q.limit}`;
  const seen = new Map<string, Combo>();
  for (const { module, moduleVersion, kernel, arch } of rows) seen.set(`${module}\u0000${moduleVersion}\u0000${kernel}\u0000${arch}`, { module, moduleVersion, kernel, arch });
  return { known: [...seen.values()], next: rows.length === q.limit ? String(rows[rows.length - 1].id) : null };
}
