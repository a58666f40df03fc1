/**
 * Stores one synthetic module of 100 versions × 400 kernels (20 series × 20 kernels, 40,000
 * results; lib/synthetic) in DATABASE_URL, for measuring the matrix page at scale:
 *   DATABASE_URL=postgresql://… npx tsx scripts/seed-large.ts
 * Then open /modules/synthetic-mod-1. Idempotent: the run ids repeat, so a second run stores nothing.
 */
import { syntheticBodies } from "../lib/synthetic/generate";
import { LARGE_SERIES } from "./seed-large-series";

const { recordResults } = await import("../lib/services/record-results");
let stored = 0;
for (const body of syntheticBodies({ seed: 12, modules: 1, versionsPerModule: 100, series: LARGE_SERIES, patchesPerSeries: 20, source: "synthetic-large" })) {
  const out = await recordResults(body);
  stored += body.results.length;
  console.log(`[seed-large] ${stored} results`, "replayed" in out && out.replayed ? "(already stored)" : "");
}
process.exit(0);
