import { sql, type SqlTarget } from "../../db/sql";
import { Prisma } from "../../generated/prisma/client";
import type { KernelDateInput, ResultInput, VersionInput } from "../../domain/regressions";
import type { Stage, Status } from "../../domain/status";

export interface DetectionInput {
  results: ResultInput[];
  versions: VersionInput[];
  /** release dates of the kernels of these results (lib/domain/event-date.ts) */
  kernels: KernelDateInput[];
  /** version string → ModuleVersion id, kernel string → Kernel id, for storing what was detected */
  versionIds: Map<string, number>;
  kernelIds: Map<string, number>;
}

/**
 * Everything detection needs about one module, optionally narrowed to one arch. Only the columns
 * the rules read are loaded; version and kernel strings are joined in memory.
 */
export async function loadDetectionInput(tx: SqlTarget, moduleId: number, opts: { arch?: string } = {}): Promise<DetectionInput> {
  const versions = await sql<VersionRow>(tx, Prisma.sql`SELECT id, version, "releasedAt" FROM "ModuleVersion" WHERE "moduleId" = ${moduleId} ORDER BY id`);
  const rows = await sql<ResultRow>(
    tx,
    Prisma.sql`
    SELECT id, "runId", "moduleVersionId", "kernelId", arch, stage, status, "finishedAt", "errorLine" FROM "Result"
    WHERE "moduleVersionId" = ANY(${versions.map((v) => v.id)}::int[]) ${opts.arch ? Prisma.sql`AND arch = ${opts.arch}` : Prisma.empty}`,
  );
  return detectionInput(tx, versions, rows);
}

interface VersionRow {
  id: number;
  version: string;
  releasedAt: Date | null;
}

/** One stored result as detection reads it, with ids where detection wants strings. */
interface ResultRow {
  id: number;
  runId: number;
  moduleVersionId: number;
  kernelId: number;
  arch: string;
  stage: string;
  status: string;
  finishedAt: Date;
  errorLine: string | null;
}

/** The input of detectIncidents from a module's versions and some of its results: ids become strings. */
async function detectionInput(tx: SqlTarget, versions: readonly VersionRow[], rows: readonly ResultRow[]): Promise<DetectionInput> {
  const kernelIds = [...new Set(rows.map((r) => r.kernelId))];
  const kernels = kernelIds.length
    ? await sql<{ id: number; version: string; releasedAt: Date | null }>(tx, Prisma.sql`SELECT id, version, "releasedAt" FROM "Kernel" WHERE id = ANY(${kernelIds}::int[]) ORDER BY id`)
    : [];
  const versionOf = new Map(versions.map((v) => [v.id, v.version]));
  const kernelOf = new Map(kernels.map((k) => [k.id, k.version]));
  return {
    results: rows.map((r) => ({
      id: r.id,
      runId: r.runId,
      version: versionOf.get(r.moduleVersionId)!,
      kernel: kernelOf.get(r.kernelId)!,
      arch: r.arch,
      stage: r.stage as Stage,
      status: r.status as Status,
      finishedAt: r.finishedAt,
      errorLine: r.errorLine,
    })),
    versions: versions.map((v) => ({ version: v.version, releasedAt: v.releasedAt })),
    kernels: kernels.map((k) => ({ version: k.version, releasedAt: k.releasedAt })),
    versionIds: new Map(versions.map((v) => [v.version, v.id])),
    kernelIds: new Map(kernels.map((k) => [k.version, k.id])),
  };
}
