import { pgRead } from "../../db/client";
import { predictionLabel } from "../../domain/prediction";
import type { ModuleVerdictOut } from "../../schemas/check";
import type { PredictionOut } from "../../schemas/kernel-api";
import { loadFootprints, MAX_FOOTPRINTS, type StoredFootprint } from "../footprints/load-footprints";
import { predictFrom } from "./predict-for-module";
import { readPredictionInputs } from "./predict-matrix-cells";

/** The verdicts a prediction may be added to: unknown, for a version the server knows. */
export const predictionCandidates = (results: readonly ModuleVerdictOut[]) => results.filter((r) => r.verdict === "unknown" && r.found && r.version);

/**
 * Predictions made for checks, keyed by everything they are made of (readPredictionInputs), as the
 * matrix keeps its cells' (predict-matrix-cells.ts): a check with an unknown verdict is built anew
 * each time (check-answer.ts keeps no such answer), and would otherwise load and decode the
 * version's footprints every time. Least recently used first out; one per process.
 */
const MEMO_MAX = 10_000;
const g = globalThis as unknown as { __modcompatCheckPredictions?: Map<string, PredictionOut | null> };
const memo = (g.__modcompatCheckPredictions ??= new Map());

/** Forget the kept predictions (tests). */
export function forgetCheckPredictions(): void {
  memo.clear();
}

/**
 * Give the check's unknown verdicts a labelled prediction. The verdict, counts and outcome stay
 * as they are: a prediction informs, it never decides. Costs nothing unless some verdict is
 * unknown and the target kernel has an API snapshot.
 */
export async function addPredictions(results: ModuleVerdictOut[], kernel: string): Promise<void> {
  const open = predictionCandidates(results);
  if (open.length === 0) return;
  const versions = await pgRead<{ id: number; version: string; slug: string }>(
    `SELECT v.id, v.version, m.slug FROM unnest($1::text[], $2::text[]) AS w(slug, version)
     JOIN "Module" m ON m.slug = w.slug JOIN "ModuleVersion" v ON v."moduleId" = m.id AND v.version = w.version`,
    [open.map((r) => r.module), open.map((r) => r.version!)],
  );
  const inputs = await readPredictionInputs(
    versions.map((v) => v.id),
    [kernel],
  );
  if (!inputs.hasSnapshot(kernel)) return;
  const keep = inputs.n <= MAX_FOOTPRINTS;
  let loaded: StoredFootprint[] | null = null;
  for (const r of open) {
    const v = versions.find((x) => x.slug === r.module && x.version === r.version);
    const key = v && inputs.keyOf(v.id, kernel);
    if (!v || key === undefined) continue;
    let out = keep ? memo.get(key) : undefined;
    if (out === undefined) {
      loaded ??= (await loadFootprints({ moduleVersionIds: versions.map((x) => x.id) })).footprints;
      const fps = loaded.filter((f) => f.moduleVersionId === v.id);
      out = null;
      if (fps.length > 0) {
        const p = await predictFrom({ module: r.module, version: r.version!, kernel, footprints: fps });
        out = {
          outcome: p.prediction.outcome,
          strength: p.prediction.strength,
          summary: p.prediction.summary,
          label: predictionLabel(p.prediction),
          reasons: p.prediction.reasons.slice(0, 50),
          footprintKernel: p.footprintKernel,
          predicted: true,
        };
      }
      if (keep) {
        memo.set(key, out);
        if (memo.size > MEMO_MAX) memo.delete(memo.keys().next().value!);
      }
    } else {
      memo.delete(key);
      memo.set(key, out);
    }
    // each answer gets its own copy: answers are serialised, never shared
    if (out) r.prediction = { ...out, reasons: [...out.reasons] };
  }
}
