import { db } from "../../db/client";
import { evaluatePredictions, type EvaluationCase, type EvaluationReport } from "../../domain/prediction-evaluation";
import { loadFootprints, type StoredFootprint } from "../footprints/load-footprints";
import { predictFrom } from "./predict-for-module";

export interface Evaluation extends EvaluationReport {
  footprints: number;
  moduleVersions: number;
  snapshots: number;
  /** kernels with results of footprinted module versions but no API snapshot (their cases are unknown) */
  kernelsWithoutSnapshot: string[];
  ms: number;
}

/** What the evaluation depends on; the page recomputes only when it changed. */
async function dataStamp(): Promise<string> {
  const [f, k, c] = await Promise.all([
    db().footprint.aggregate({ _count: true, _max: { recordedAt: true } }),
    db().kernelApi.aggregate({ _count: true, _max: { importedAt: true } }),
    db().cell.aggregate({ _count: true, _max: { lastResultAt: true } }),
  ]);
  return JSON.stringify([f._count, f._max.recordedAt, k._count, k._max.importedAt, c._count, c._max.lastResultAt]);
}

let memo: { stamp: string; value: Evaluation } | null = null;

/** evaluateAllPredictions, kept per process until the data changes (for /predictions). */
export async function getPredictionRecord(): Promise<Evaluation> {
  const stamp = await dataStamp();
  if (memo?.stamp === stamp) return memo.value;
  const value = await evaluateAllPredictions();
  memo = { stamp, value };
  return value;
}

/**
 * Leave-one-kernel-out: for every real pass/fail cell (all stages folded; error and skip are no
 * verdict) of a module version that has footprints, predict it from the footprints recorded on
 * other kernels only, and score. Bounded by the footprint cap (MAX_FOOTPRINTS).
 */
export async function evaluateAllPredictions(): Promise<Evaluation> {
  const started = Date.now();
  const { footprints } = await loadFootprints();
  const byVersion = new Map<number, StoredFootprint[]>();
  for (const f of footprints) byVersion.set(f.moduleVersionId, [...(byVersion.get(f.moduleVersionId) ?? []), f]);
  const cells = await db().cell.findMany({
    where: { moduleVersionId: { in: [...byVersion.keys()] }, status: { in: ["pass", "fail"] } },
    select: { moduleVersionId: true, status: true, errorLine: true, arch: true, kernel: { select: { version: true } } },
  });
  const snapshots = new Set((await db().kernelApi.findMany({ select: { kernel: true } })).map((k) => k.kernel));
  const cases: EvaluationCase[] = [];
  // by kernel, so each snapshot is decoded once (api-view-cache.ts keeps a few)
  cells.sort((a, b) => (a.kernel.version < b.kernel.version ? -1 : a.kernel.version > b.kernel.version ? 1 : 0));
  for (const c of cells) {
    const fps = byVersion.get(c.moduleVersionId)!.filter((f) => f.arch === c.arch);
    const { module, version } = fps[0] ?? byVersion.get(c.moduleVersionId)![0];
    const p = await predictFrom({ module, version, kernel: c.kernel.version, footprints: fps });
    cases.push({
      module,
      version,
      kernel: c.kernel.version,
      actual: c.status as "pass" | "fail",
      errorLine: c.errorLine,
      predicted: p.prediction.outcome,
      strength: p.prediction.strength,
      summary: p.prediction.summary,
      footprintKernel: p.footprintKernel,
    });
  }
  const kernelsWithoutSnapshot = [...new Set(cells.map((c) => c.kernel.version).filter((k) => !snapshots.has(k)))].sort();
  return {
    ...evaluatePredictions(cases),
    footprints: footprints.length,
    moduleVersions: byVersion.size,
    snapshots: snapshots.size,
    kernelsWithoutSnapshot,
    ms: Date.now() - started,
  };
}
