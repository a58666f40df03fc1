/**
 * Scoring predictions against real builds (`npm run evaluate`, /predictions). Pure: the service
 * gathers one case per real pass/fail cell whose module version has a footprint on another
 * kernel (leave-one-kernel-out: the cell's own kernel never contributes its footprint).
 */
import type { PredictedOutcome, PredictionStrength } from "./prediction";
import { extractSignature, SIGNATURE_KINDS, type SignatureKind } from "./signature";

export interface EvaluationCase {
  module: string;
  version: string;
  kernel: string;
  actual: "pass" | "fail";
  errorLine: string | null;
  predicted: PredictedOutcome;
  strength: PredictionStrength;
  summary: string;
  footprintKernel: string | null;
}

export type FailureKind = SignatureKind | "unclassified";
export const FAILURE_KINDS: readonly FailureKind[] = [...SIGNATURE_KINDS, "unclassified"];

export interface Rate {
  hits: number;
  of: number;
  /** hits / of, null when of = 0 */
  rate: number | null;
}
const rate = (hits: number, of: number): Rate => ({ hits, of, rate: of ? hits / of : null });

export interface EvaluationReport {
  cases: number;
  /** real results with a prediction other than unknown */
  predicted: number;
  unknown: number;
  confusion: Record<"fail" | "pass" | "unknown", Record<"fail" | "pass", number>>;
  /** of the predicted fails, how many really failed */
  failPrecision: Rate;
  /** of the real fails, how many were predicted to fail (unknown counts as missed) */
  failRecall: Rate;
  /** of the predicted passes, how many really passed */
  passAccuracy: Rate;
  byStrength: Record<PredictionStrength, { failPrecision: Rate; passAccuracy: Rate }>;
  /** recall per kind of real failure, by the signature of its error line */
  byFailureKind: { kind: FailureKind; recall: Rate }[];
  /** real failures predicted pass: what the footprint cannot see */
  missed: { module: string; version: string; kernel: string; errorLine: string | null; kind: FailureKind; predicted: PredictedOutcome }[];
  /** predicted fails that built */
  falseAlarms: { module: string; version: string; kernel: string; summary: string }[];
}

export function failureKind(errorLine: string | null): FailureKind {
  return extractSignature(errorLine)?.kind ?? "unclassified";
}

export function evaluatePredictions(cases: readonly EvaluationCase[]): EvaluationReport {
  const confusion: EvaluationReport["confusion"] = { fail: { fail: 0, pass: 0 }, pass: { fail: 0, pass: 0 }, unknown: { fail: 0, pass: 0 } };
  for (const c of cases) confusion[c.predicted][c.actual]++;
  const by = (s: PredictionStrength) => {
    const cs = cases.filter((c) => c.strength === s);
    const pf = cs.filter((c) => c.predicted === "fail");
    const pp = cs.filter((c) => c.predicted === "pass");
    return { failPrecision: rate(pf.filter((c) => c.actual === "fail").length, pf.length), passAccuracy: rate(pp.filter((c) => c.actual === "pass").length, pp.length) };
  };
  const fails = cases.filter((c) => c.actual === "fail");
  const kinds = new Map<FailureKind, { hits: number; of: number }>();
  for (const c of fails) {
    const k = failureKind(c.errorLine);
    const e = kinds.get(k) ?? { hits: 0, of: 0 };
    e.of++;
    if (c.predicted === "fail") e.hits++;
    kinds.set(k, e);
  }
  const key = (c: { module: string; version: string; kernel: string }) => `${c.module} ${c.version} ${c.kernel}`;
  return {
    cases: cases.length,
    predicted: cases.filter((c) => c.predicted !== "unknown").length,
    unknown: cases.filter((c) => c.predicted === "unknown").length,
    confusion,
    failPrecision: rate(confusion.fail.fail, confusion.fail.fail + confusion.fail.pass),
    failRecall: rate(confusion.fail.fail, fails.length),
    passAccuracy: rate(confusion.pass.pass, confusion.pass.pass + confusion.pass.fail),
    byStrength: { strong: by("strong"), weak: by("weak") },
    byFailureKind: FAILURE_KINDS.filter((k) => kinds.has(k)).map((k) => ({ kind: k, recall: rate(kinds.get(k)!.hits, kinds.get(k)!.of) })),
    missed: fails
      .filter((c) => c.predicted !== "fail")
      .map((c) => ({ module: c.module, version: c.version, kernel: c.kernel, errorLine: c.errorLine, kind: failureKind(c.errorLine), predicted: c.predicted }))
      .sort((a, b) => (key(a) < key(b) ? -1 : 1)),
    falseAlarms: cases
      .filter((c) => c.predicted === "fail" && c.actual === "pass")
      .map((c) => ({ module: c.module, version: c.version, kernel: c.kernel, summary: c.summary }))
      .sort((a, b) => (key(a) < key(b) ? -1 : 1)),
  };
}

export function formatRate(r: Rate): string {
  return r.rate === null ? "n/a (none)" : `${(r.rate * 100).toFixed(1)} % (${r.hits}/${r.of})`;
}
