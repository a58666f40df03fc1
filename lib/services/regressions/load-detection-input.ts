import type { Tx } from "../../db/client";
import { kernelLine } from "../../domain/kernel-version";
import type { KernelDateInput, ResultInput, VersionInput } from "../../domain/regressions";
import type { Stage, Status } from "../../domain/status";

type Reader = Pick<Tx, "result" | "moduleVersion" | "kernel">;

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
export async function loadDetectionInput(tx: Reader, moduleId: number, opts: { arch?: string } = {}): Promise<DetectionInput> {
  const versions = await tx.moduleVersion.findMany({ where: { moduleId }, select: { id: true, version: true, releasedAt: true } });
  const rows = await tx.result.findMany({
    where: { moduleVersionId: { in: versions.map((v) => v.id) }, ...(opts.arch ? { arch: opts.arch } : {}) },
    select: { id: true, runId: true, moduleVersionId: true, kernelId: true, arch: true, stage: true, status: true, finishedAt: true, errorLine: true },
  });
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
async function detectionInput(tx: Pick<Tx, "kernel">, versions: readonly VersionRow[], rows: readonly ResultRow[]): Promise<DetectionInput> {
  const kernelIds = [...new Set(rows.map((r) => r.kernelId))];
  const kernels = kernelIds.length ? await tx.kernel.findMany({ where: { id: { in: kernelIds } }, select: { id: true, version: true, releasedAt: true } }) : [];
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

/**
 * Detection input of some grids of one module (arch × kernel line, lib/domain/regressions.ts): the
 * results of the module's versions on the kernels of those lines only, read by the Result
 * (moduleVersionId, kernelId, arch) index. Detection in one grid reads nothing of another, so this
 * is the input detectIncidents needs for those grids' incidents, and the ingest uses it for the
 * grids a batch touched instead of the module's whole history (issue 14). The kernels of a line are
 * found from the module's Cell rows (one per cell, not per result). (`error` results stay in: they
 * decide no verdict, but a run's earliest result orders the runs of a cell, observeCell.)
 */
export async function loadGridDetectionInput(tx: Tx, moduleId: number, grids: readonly { arch: string; line: string }[]): Promise<DetectionInput> {
  const versions = await tx.moduleVersion.findMany({ where: { moduleId }, select: { id: true, version: true, releasedAt: true } });
  const arches = [...new Set(grids.map((g) => g.arch))];
  const cellKernels = await tx.$queryRaw<{ id: number; version: string; arch: string }[]>`
    SELECT DISTINCT c."kernelId" AS id, k.version, c.arch FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId"
    WHERE c."moduleId" = ${moduleId} AND c.arch = ANY(${arches}::text[])`;
  const wanted = new Set(grids.map((g) => `${g.arch}|${g.line}`));
  const lineOf = new Map<string, string>();
  const pairs: { kernelId: number; arch: string }[] = [];
  for (const k of cellKernels) {
    let line = lineOf.get(k.version);
    if (line === undefined) lineOf.set(k.version, (line = kernelLine(k.version)));
    if (wanted.has(`${k.arch}|${line}`)) pairs.push({ kernelId: k.id, arch: k.arch });
  }
  // One JSON value for all rows (parsed natively, not value by value by the client), from one
  // index scan with the three key sets (PostgreSQL walks the (moduleVersionId, kernelId, arch)
  // index once: 45 ms for 35,000 rows at 1 M results, where a probe per version × pair took 250 ms);
  // the sets' cross product may hold a kernel × arch pair outside the wanted grids, dropped below.
  const wantedPair = new Set(pairs.map((p) => `${p.kernelId}|${p.arch}`));
  const [packed] = pairs.length
    ? await tx.$queryRaw<{ rows: [number, number, number, number, string, string, string, number, string | null][] | null }[]>`
        SELECT json_agg(json_build_array(r.id, r."runId", r."moduleVersionId", r."kernelId", r.arch, r.stage, r.status,
               (extract(epoch FROM r."finishedAt") * 1000)::float8, r."errorLine")) AS rows
        FROM "Result" r
        WHERE r."moduleVersionId" = ANY(${versions.map((v) => v.id)}::int[])
          AND r."kernelId" = ANY(${[...new Set(pairs.map((p) => p.kernelId))]}::int[])
          AND r.arch = ANY(${[...new Set(pairs.map((p) => p.arch))]}::text[])`
    : [{ rows: [] }];
  // Times as epoch milliseconds: the columns are UTC `timestamp(3)`, read here without any zone.
  const rows = (packed?.rows ?? []).flatMap(([id, runId, moduleVersionId, kernelId, arch, stage, status, at, errorLine]) =>
    wantedPair.has(`${kernelId}|${arch}`) ? [{ id, runId, moduleVersionId, kernelId, arch, stage, status, finishedAt: new Date(at), errorLine }] : [],
  );
  return detectionInput(tx, versions, rows);
}
