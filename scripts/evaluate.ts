/**
 * `npm run evaluate`: score predicted verdicts against every real build in the database
 * (leave-one-kernel-out; lib/services/predictions/evaluate-predictions.ts). The same figures are
 * on /predictions. Uses DATABASE_URL, or the app's embedded database (like the admin commands).
 */
import { withLocalDatabase } from "../lib/cli/local-db";
import { formatRate } from "../lib/domain/prediction-evaluation";
import { evaluateAllPredictions } from "../lib/services/predictions/evaluate-predictions";

await withLocalDatabase(async () => {
  const e = await evaluateAllPredictions();
  const json = process.argv.includes("--json");
  if (json) {
    console.log(JSON.stringify(e, null, 2));
    return;
  }
  console.log(`footprints: ${e.footprints} (${e.moduleVersions} module versions); API snapshots: ${e.snapshots} kernels`);
  console.log(`real pass/fail results of those versions: ${e.cases}; predicted: ${e.predicted}; unknown: ${e.unknown}` + (e.kernelsWithoutSnapshot.length ? ` (no snapshot: ${e.kernelsWithoutSnapshot.join(", ")})` : ""));
  console.log(`confusion (predicted → real): fail→fail ${e.confusion.fail.fail}, fail→pass ${e.confusion.fail.pass}, pass→pass ${e.confusion.pass.pass}, pass→fail ${e.confusion.pass.fail}, unknown→fail ${e.confusion.unknown.fail}, unknown→pass ${e.confusion.unknown.pass}`);
  console.log(`precision of predicted-fail: ${formatRate(e.failPrecision)}`);
  console.log(`recall of predicted-fail:    ${formatRate(e.failRecall)}`);
  console.log(`accuracy of predicted-pass:  ${formatRate(e.passAccuracy)}`);
  for (const s of ["strong", "weak"] as const) console.log(`  ${s} evidence: fail precision ${formatRate(e.byStrength[s].failPrecision)}, pass accuracy ${formatRate(e.byStrength[s].passAccuracy)}`);
  console.log("recall per kind of real failure (signature of its error line):");
  for (const k of e.byFailureKind) console.log(`  ${k.kind.padEnd(12)} ${formatRate(k.recall)}`);
  if (e.missed.length) {
    console.log("real failures not predicted (what the footprint cannot see):");
    for (const m of e.missed) console.log(`  ${m.module} ${m.version} on ${m.kernel} [${m.kind}, predicted ${m.predicted}]: ${m.errorLine ?? "—"}`);
  }
  if (e.falseAlarms.length) {
    console.log("predicted to fail, but built:");
    for (const f of e.falseAlarms) console.log(`  ${f.module} ${f.version} on ${f.kernel}: ${f.summary}`);
  }
  console.log(`(${e.ms} ms)`);
});
process.exit(0);
