import { db } from "../../db/client";
import { predictionLabel, type PredictedOutcome } from "../../domain/prediction";
import { loadFootprints } from "../footprints/load-footprints";
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
 * Predictions for a matrix's empty cells (no result) of the expanded kernels: keyed
 * "versionId:kernelId". Only kernels with an API snapshot and versions with a footprint; the
 * newest kernels first when the bound cuts. Never stored: a prediction is not a Cell.
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
  const { footprints } = await loadFootprints({ moduleVersionIds: opts.versions.map((v) => v.id) });
  if (footprints.length === 0) return out;
  const withSnapshot = new Set((await db().kernelApi.findMany({ where: { kernel: { in: opts.kernels.map((k) => k.version) } }, select: { kernel: true } })).map((k) => k.kernel));
  const kernels = opts.kernels.filter((k) => withSnapshot.has(k.version)).slice(-MAX_PREDICTED_KERNELS);
  for (const k of kernels) {
    for (const v of opts.versions) {
      if (out.size >= MAX_PREDICTED_CELLS) return out;
      if (opts.filled(v.id, k.id)) continue;
      const fps = footprints.filter((f) => f.moduleVersionId === v.id);
      if (fps.length === 0) continue;
      const p = await predictFrom({ module: opts.module, version: v.version, kernel: k.version, footprints: fps });
      const label = predictionLabel(p.prediction);
      if (label) out.set(`${v.id}:${k.id}`, { outcome: p.prediction.outcome, label, footprintKernel: p.footprintKernel });
    }
  }
  return out;
}
