import { pgRead } from "../../db/client";
import { predictionLabel, type PredictedOutcome } from "../../domain/prediction";
import { loadFootprints, MAX_FOOTPRINTS, type StoredFootprint } from "../footprints/load-footprints";
import { predictFrom } from "./predict-for-module";

export interface CellPrediction {
  outcome: PredictedOutcome;
  label: string;
  footprintKernel: string | null;
}

/** Bounds: the matrix predicts at most this many kernels (each a decoded snapshot) and cells. */
export const MAX_PREDICTED_KERNELS = 8;
export const MAX_PREDICTED_CELLS = 400;

/**
 * What a cell's prediction is made of, read in one statement: each footprint's row version (xmin:
 * a replaced footprint is a new row) of the versions, their source scans' row versions, and the
 * digest of every kernel API snapshot the predictions can read (the targets and the footprints'
 * kernels: predictFrom reads no other snapshot).
 */
const INPUTS_SQL = `
  WITH f AS (
    SELECT f."moduleVersionId", f."kernelId", f.arch, f.xmin::text AS row, f."recordedAt", k.version AS kernel
    FROM "Footprint" f JOIN "Kernel" k ON k.id = f."kernelId"
    WHERE f."moduleVersionId" = ANY($1::int[]))
  SELECT
    (SELECT count(*)::int FROM f) AS n,
    (SELECT coalesce(json_agg(json_build_array(f."moduleVersionId", f.kernel, f.arch, f.row || '@' || f."recordedAt"::text) ORDER BY f."moduleVersionId", f."kernelId", f.arch), '[]') FROM f) AS footprints,
    (SELECT coalesce(json_agg(json_build_array(s."moduleVersionId", s.xmin::text)), '[]') FROM "SourceScan" s WHERE s."moduleVersionId" = ANY($1::int[])) AS scans,
    (SELECT coalesce(json_agg(json_build_array(a.kernel, a.digest)), '[]') FROM "KernelApi" a WHERE a.kernel = ANY($2::text[]) OR a.kernel IN (SELECT kernel FROM f)) AS apis`;

/** What predictions of some versions on some kernels are made of (INPUTS_SQL), and the key of each. */
export interface PredictionInputs {
  /** footprints of the versions */
  n: number;
  /** kernels with an API snapshot, among the targets and the footprints' kernels */
  hasSnapshot(kernel: string): boolean;
  /** the key of a prediction of this version on this kernel; undefined when the version has no footprint */
  keyOf(versionId: number, kernel: string): string | undefined;
}

export async function readPredictionInputs(versionIds: readonly number[], kernels: readonly string[]): Promise<PredictionInputs> {
  const [inputs] = await pgRead<{ n: number; footprints: [number, string, string, string][]; scans: [number, string][]; apis: [string, string][] }>(INPUTS_SQL, [
    versionIds,
    kernels,
  ]);
  const digest = new Map(inputs.apis);
  const scan = new Map(inputs.scans);
  const footprintKey = new Map<number, string>();
  for (const [versionId, kernel, arch, row] of inputs.footprints) {
    footprintKey.set(versionId, `${footprintKey.get(versionId) ?? ""}${kernel}/${arch}/${row}/${digest.get(kernel) ?? "-"};`);
  }
  return {
    n: inputs.n,
    hasSnapshot: (kernel) => digest.has(kernel),
    keyOf(versionId, kernel) {
      const fpKey = footprintKey.get(versionId);
      return fpKey === undefined ? undefined : `${versionId}|${kernel}|${digest.get(kernel)}|${scan.get(versionId) ?? "-"}|${fpKey}`;
    },
  };
}

/**
 * Predictions already made, keyed by everything they are made of (predictionInputsKey): a key
 * changes whenever a footprint, a source scan or a snapshot it reads changes, so an entry is never
 * stale, only unreachable; least recently used first out. One per process (globalThis), not per
 * bundled copy of this file.
 */
const MEMO_MAX = 50_000;
const g = globalThis as unknown as { __modcompatCellPredictions?: Map<string, CellPrediction | null> };
const memo = (g.__modcompatCellPredictions ??= new Map());

/** Forget the kept predictions (benchmarks of the uncached path, tests). */
export function forgetCellPredictions(): void {
  memo.clear();
}

/** How many cell predictions are kept (tests). */
export function cellPredictionsKept(): number {
  return memo.size;
}

/**
 * Predictions for a matrix's empty cells (no result) of the expanded kernels: keyed
 * "versionId:kernelId". Only kernels with an API snapshot and versions with a footprint; the
 * newest kernels first when the bound cuts. Never stored: a prediction is not a Cell.
 *
 * Each cell's prediction is kept under the key of its inputs (INPUTS_SQL), so expanding a series
 * again, or another page of the same module, decodes no footprint and runs no prediction again
 * while nothing it depends on changed; results elsewhere (other modules, other cells) do not
 * touch the key. Past MAX_FOOTPRINTS footprints nothing is kept (loadFootprints cuts them).
 */
export async function predictMatrixCells(opts: {
  versions: readonly { id: number; version: string }[];
  kernels: readonly { id: number; version: string }[];
  /** whether the cell has a result (then it is not predicted) */
  filled: (versionId: number, kernelId: number) => boolean;
  module: string;
}): Promise<Map<string, CellPrediction>> {
  const out = new Map<string, CellPrediction>();
  if (opts.versions.length === 0 || opts.kernels.length === 0) return out;
  const inputs = await readPredictionInputs(
    opts.versions.map((v) => v.id),
    opts.kernels.map((k) => k.version),
  );
  if (inputs.n === 0) return out;
  const keep = inputs.n <= MAX_FOOTPRINTS;
  const kernels = opts.kernels.filter((k) => inputs.hasSnapshot(k.version)).slice(-MAX_PREDICTED_KERNELS);
  // Only the footprints of versions with a cell to predict anew are read (the others' are kept):
  // a module's footprints are many arrays of names, and one new kernel needs only its own cells.
  const missing = new Set<number>();
  for (const k of kernels) {
    for (const v of opts.versions) {
      if (opts.filled(v.id, k.id)) continue;
      const key = inputs.keyOf(v.id, k.version);
      if (key !== undefined && (!keep || !memo.has(key))) missing.add(v.id);
    }
  }
  const byVersion = new Map<number, StoredFootprint[]>();
  /** A version's footprints: read with every other missing version's the first time (and on its own if it was not missing then: a kept prediction dropped meanwhile). */
  const footprintsOf = async (versionId: number) => {
    if (!byVersion.has(versionId)) {
      const ids = [...new Set([...missing, versionId])].filter((id) => !byVersion.has(id));
      for (const id of ids) byVersion.set(id, []);
      for (const f of (await loadFootprints({ moduleVersionIds: ids })).footprints) byVersion.get(f.moduleVersionId)?.push(f);
    }
    return byVersion.get(versionId)!;
  };
  for (const k of kernels) {
    for (const v of opts.versions) {
      if (out.size >= MAX_PREDICTED_CELLS) return out;
      if (opts.filled(v.id, k.id)) continue;
      const key = inputs.keyOf(v.id, k.version);
      if (key === undefined) continue;
      let cell = keep ? memo.get(key) : undefined;
      if (cell === undefined) {
        const fps = await footprintsOf(v.id);
        cell = null;
        if (fps.length > 0) {
          const p = await predictFrom({ module: opts.module, version: v.version, kernel: k.version, footprints: fps });
          const label = predictionLabel(p.prediction);
          if (label) cell = { outcome: p.prediction.outcome, label, footprintKernel: p.footprintKernel };
        }
        if (keep) {
          memo.set(key, cell);
          if (memo.size > MEMO_MAX) memo.delete(memo.keys().next().value!);
        }
      } else {
        memo.delete(key);
        memo.set(key, cell);
      }
      if (cell) out.set(`${v.id}:${k.id}`, cell);
    }
  }
  return out;
}
