import { db } from "../../db/client";
import { predictionLabel } from "../../domain/prediction";
import type { ModuleVerdictOut } from "../../schemas/check";
import type { PredictionOut } from "../../schemas/kernel-api";
import { loadFootprints } from "../footprints/load-footprints";
import { predictFrom } from "./predict-for-module";

/** The verdicts a prediction may be added to: unknown, for a version the server knows. */
export const predictionCandidates = (results: readonly ModuleVerdictOut[]) => results.filter((r) => r.verdict === "unknown" && r.found && r.version);

/**
 * Give the check's unknown verdicts a labelled prediction. The verdict, counts and outcome stay
 * as they are: a prediction informs, it never decides. Costs nothing unless some verdict is
 * unknown and the target kernel has an API snapshot.
 */
export async function addPredictions(results: ModuleVerdictOut[], kernel: string): Promise<void> {
  const open = predictionCandidates(results);
  if (open.length === 0) return;
  if (!(await db().kernelApi.findUnique({ where: { kernel }, select: { kernel: true } }))) return;
  const versions = await db().moduleVersion.findMany({
    where: { OR: open.map((r) => ({ version: r.version!, module: { slug: r.module } })) },
    select: { id: true, version: true, module: { select: { slug: true } } },
  });
  const { footprints } = await loadFootprints({ moduleVersionIds: versions.map((v) => v.id) });
  for (const r of open) {
    const v = versions.find((x) => x.module.slug === r.module && x.version === r.version);
    const fps = v ? footprints.filter((f) => f.moduleVersionId === v.id) : [];
    if (fps.length === 0) continue;
    const p = await predictFrom({ module: r.module, version: r.version!, kernel, footprints: fps });
    const out: PredictionOut = {
      outcome: p.prediction.outcome,
      strength: p.prediction.strength,
      summary: p.prediction.summary,
      label: predictionLabel(p.prediction),
      reasons: p.prediction.reasons.slice(0, 50),
      footprintKernel: p.footprintKernel,
      predicted: true,
    };
    r.prediction = out;
  }
}
