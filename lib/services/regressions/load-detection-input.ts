import type { Tx } from "../../db/client";
import { kernelLine } from "../../domain/kernel-version";
import type { CellState, CellSummary, KernelDateInput, ResultInput, VersionInput } from "../../domain/regressions";
import { replayCellObservations } from "../recompute-cells";
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

/** Detection input from the cells' stored summaries (Cell.obs*), for detectIncidentsInCells. */
export interface CellDetectionInput extends Omit<DetectionInput, "results"> {
  cells: CellSummary[];
}

type PackedCell = [number, number, string, string | null, number | null, number | null, number | null, string | null, number | null, number | null, number | null, boolean];

/**
 * Detection input of some grids of one module (arch × kernel line, lib/domain/regressions.ts),
 * from the summaries the ingest keeps on each Cell (recompute-cells.ts): one row per cell, none
 * per result, so a grid costs the same however often its cells were built (issue 14). Detection in
 * one grid reads nothing of another, so this is all detectIncidentsInCells needs for those grids'
 * incidents. Cells still unobserved (rows from before migration 0011) are replayed from their
 * results first, once.
 */
export async function loadGridCells(tx: Tx, moduleId: number, grids: readonly { arch: string; line: string }[]): Promise<CellDetectionInput> {
  const arches = [...new Set(grids.map((g) => g.arch))];
  const read = async (): Promise<PackedCell[]> => {
    // One text for all rows, split here (half the time of one JSON array per cell; 100,000
    // cells a grid at 10 M results), and the error lines, which may hold any character, as one
    // JSON array in the same order (both aggregates read the same rows in the same order). Times
    // as epoch milliseconds: the columns are UTC `timestamp(3)`, read here without any zone.
    const [packed] = await tx.$queryRaw<{ rows: string | null; errors: (string | null)[] | null }[]>`
      SELECT string_agg(concat_ws(',', c."moduleVersionId", c."kernelId", c.arch, coalesce(c."obsState", ''),
               coalesce(c."firstFailId"::text, ''), coalesce(c."firstFailRunId"::text, ''), coalesce(((extract(epoch FROM c."firstFailAt") * 1000)::bigint)::text, ''),
               coalesce(c."firstPassId"::text, ''), coalesce(c."firstPassRunId"::text, ''), coalesce(((extract(epoch FROM c."firstPassAt") * 1000)::bigint)::text, ''),
               CASE WHEN c.observed THEN 't' ELSE 'f' END), ';') AS rows,
             json_agg(c."firstFailError") FILTER (WHERE c."firstFailId" IS NOT NULL) AS errors
      FROM "Cell" c
      WHERE c."moduleId" = ${moduleId} AND c.arch = ANY(${arches}::text[]) AND (c."obsState" IS NOT NULL OR NOT c.observed)`;
    if (!packed?.rows) return [];
    const errors = packed.errors ?? [];
    let e = 0;
    const num = (x: string) => (x === "" ? null : Number(x));
    return packed.rows.split(";").map((row): PackedCell => {
      const [mv, k, arch, state, ffi, ffr, ffa, fpi, fpr, fpa, observed] = row.split(",");
      const failId = num(ffi);
      return [Number(mv), Number(k), arch, state === "" ? null : state, failId, num(ffr), num(ffa), failId === null ? null : errors[e++], num(fpi), num(fpr), num(fpa), observed === "t"];
    });
  };
  let rows = await read();
  const unobserved = rows.filter((r) => !r[11]).map(([moduleVersionId, kernelId, arch]) => ({ moduleVersionId, kernelId, arch }));
  if (unobserved.length > 0) {
    await replayCellObservations(tx, unobserved);
    rows = await read();
  }
  const versions = await tx.moduleVersion.findMany({ where: { moduleId }, select: { id: true, version: true, releasedAt: true } });
  const kernelIds = [...new Set(rows.map((r) => r[1]))];
  const kernels = kernelIds.length ? await tx.kernel.findMany({ where: { id: { in: kernelIds } }, select: { id: true, version: true, releasedAt: true } }) : [];
  const versionOf = new Map(versions.map((v) => [v.id, v.version]));
  const kernelOf = new Map(kernels.map((k) => [k.id, k.version]));
  const wanted = new Set(grids.map((g) => `${g.arch}|${g.line}`));
  const lineOf = new Map<string, string>();
  const cells: CellSummary[] = [];
  const usedKernels = new Set<string>();
  for (const [mv, kernelId, arch, state, ffi, ffr, ffa, ffe, fpi, fpr, fpa] of rows) {
    const kernel = kernelOf.get(kernelId)!;
    let line = lineOf.get(kernel);
    if (line === undefined) lineOf.set(kernel, (line = kernelLine(kernel)));
    if (!wanted.has(`${arch}|${line}`) || state === null) continue;
    usedKernels.add(kernel);
    cells.push({
      version: versionOf.get(mv)!,
      kernel,
      arch,
      state: state as CellState,
      firstFail: ffi === null ? null : { resultId: ffi, runId: ffr!, at: new Date(ffa!), verdict: "fail", errorLine: ffe },
      firstPass: fpi === null ? null : { resultId: fpi, runId: fpr!, at: new Date(fpa!), verdict: "pass", errorLine: null },
    });
  }
  const used = kernels.filter((k) => usedKernels.has(k.version));
  return {
    cells,
    versions: versions.map((v) => ({ version: v.version, releasedAt: v.releasedAt })),
    kernels: used.map((k) => ({ version: k.version, releasedAt: k.releasedAt })),
    versionIds: new Map(versions.map((v) => [v.version, v.id])),
    kernelIds: new Map(used.map((k) => [k.version, k.id])),
  };
}
