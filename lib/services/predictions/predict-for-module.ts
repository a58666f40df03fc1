import { db } from "../../db/client";
import { compareKernels } from "../../domain/kernel-version";
import { chooseFootprint, predictBuild, REASON_WEIGHT, type ApiView, type Prediction } from "../../domain/prediction";
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

/** A bound on the snapshots one prediction reads besides its base and target (each ~50 ms to decode once). */
export const MAX_OTHER_KERNELS = 8;

/** The distinct kernels nearest to the target in kernel order, at most MAX_OTHER_KERNELS. */
function nearest(kernels: readonly string[], target: string): string[] {
  const list = [...new Set([...kernels, target])].sort(compareKernels);
  const at = list.indexOf(target);
  const out: string[] = [];
  for (let d = 1; out.length < MAX_OTHER_KERNELS && (at - d >= 0 || at + d < list.length); d++) {
    if (at - d >= 0) out.push(list[at - d]);
    if (at + d < list.length && out.length < MAX_OTHER_KERNELS) out.push(list[at + d]);
  }
  return out;
}

/** Predict from footprints already loaded (the check and the evaluation load them in bulk). */
export async function predictFrom(opts: { module: string; version: string; kernel: string; footprints: readonly StoredFootprint[] }): Promise<ModulePrediction> {
  const f = chooseFootprint(opts.footprints, opts.kernel, compareKernels);
  const [base, target] = await Promise.all([f ? apiViewOf(f.kernel) : null, apiViewOf(opts.kernel)]);
  const input = { footprint: f, base, target, baseIsNewer: !!f && compareKernels(f.kernel, opts.kernel) > 0 };
  let prediction = predictBuild(input);
  // Only a predicted break is checked against the other kernels it built on (never the target's own
  // result: leave-one-kernel-out stays honest), the nearest MAX_OTHER_KERNELS of them.
  if (f && prediction.reasons.some((r) => REASON_WEIGHT[r.kind] !== "weak-pass")) {
    const alsoBuiltOn: { kernel: string; api: ApiView }[] = [];
    for (const k of nearest(opts.footprints.map((x) => x.kernel).filter((k) => k !== opts.kernel && k !== f.kernel), opts.kernel)) {
      const api = await apiViewOf(k);
      if (api) alsoBuiltOn.push({ kernel: k, api });
    }
    if (alsoBuiltOn.length) prediction = predictBuild({ ...input, alsoBuiltOn });
  }
  return {
    module: opts.module,
    version: opts.version,
    kernel: opts.kernel,
    footprintKernel: f?.kernel ?? null,
    prediction,
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
