import { db } from "../../db/client";
import { compareKernels } from "../../domain/kernel-version";
import { chooseFootprint, predictBuild, type ApiView, type Prediction } from "../../domain/prediction";
import { notFound } from "../errors";
import { apiViewOf } from "../kernel-api/api-view-cache";
import { loadFootprints, type StoredFootprint } from "../footprints/load-footprints";

export interface ModulePrediction {
  module: string;
  version: string;
  kernel: string;
  /** the kernel whose real build gave the footprint; null: none */
  footprintKernel: string | null;
  prediction: Prediction;
  /** always true: a prediction, not a build result */
  predicted: true;
}

/** Predict from footprints already loaded (the check and the evaluation load them in bulk). */
export async function predictFrom(opts: { module: string; version: string; kernel: string; footprints: readonly StoredFootprint[] }): Promise<ModulePrediction> {
  const f = chooseFootprint(opts.footprints, opts.kernel, compareKernels);
  const [base, target] = await Promise.all([f ? apiViewOf(f.kernel) : null, apiViewOf(opts.kernel)]);
  // the other kernels it built on (never the target's own result: leave-one-kernel-out stays honest)
  const alsoBuiltOn: { kernel: string; api: ApiView }[] = [];
  if (f && target) {
    for (const k of [...new Set(opts.footprints.map((x) => x.kernel))].filter((k) => k !== opts.kernel && k !== f.kernel).sort(compareKernels)) {
      const api = await apiViewOf(k);
      if (api) alsoBuiltOn.push({ kernel: k, api });
    }
  }
  return {
    module: opts.module,
    version: opts.version,
    kernel: opts.kernel,
    footprintKernel: f?.kernel ?? null,
    prediction: predictBuild({ footprint: f, base, target, baseIsNewer: !!f && compareKernels(f.kernel, opts.kernel) > 0, alsoBuiltOn }),
    predicted: true,
  };
}

/** `modcompat predict` and GET /api/v1/predict: one module version on one kernel. */
export async function predictForModule(q: { module: string; version: string; kernel: string }): Promise<ModulePrediction> {
  const mv = await db().moduleVersion.findFirst({ where: { version: q.version, module: { slug: q.module } }, select: { id: true } });
  if (!mv) throw notFound(`module version ${q.module} ${q.version}`);
  const { footprints } = await loadFootprints({ moduleVersionIds: [mv.id] });
  return predictFrom({ ...q, footprints });
}
