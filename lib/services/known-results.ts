import { db } from "../db/client";

/** Module version × kernel × arch combinations a source has already reported (runner --skip-known). */
export async function knownResults(source: string) {
  const rows = await db().$queryRaw<{ module: string; moduleVersion: string; kernel: string; arch: string }[]>`
    SELECT DISTINCT m.slug AS "module", mv.version AS "moduleVersion", k.version AS "kernel", r.arch AS "arch"
    FROM "Result" r
    JOIN "Run" run ON run.id = r."runId"
    JOIN "ModuleVersion" mv ON mv.id = r."moduleVersionId"
    JOIN "Module" m ON m.id = mv."moduleId"
    JOIN "Kernel" k ON k.id = r."kernelId"
    WHERE run.source = ${source}
    ORDER BY 1, 2, 3, 4`;
  return { known: rows };
}
