/**
 * Stores one synthetic module of 100 versions × 400 kernels (20 series × 20 kernels, 40,000
 * results; lib/synthetic) in DATABASE_URL, for measuring the matrix page at scale:
 *   DATABASE_URL=postgresql://… npx tsx scripts/seed-large.ts
 * Then open /modules/synthetic-mod-1. Idempotent: the run ids repeat, so a second run stores nothing.
 */
import { syntheticBodies } from "../lib/synthetic/generate";

export const LARGE_SERIES = ["5.4", "5.10", "5.15", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "6.11", "6.12", "6.13", "6.14", "6.15", "6.16", "6.17"];

const { recordResults } = await import("../lib/services/record-results");
let stored = 0;
for (const body of syntheticBodies({ seed: 12, modules: 1, versionsPerModule: 100, series: LARGE_SERIES, patchesPerSeries: 20, source: "synthetic-large" })) {
  const out = await recordResults(body);
  stored += body.results.length;
  console.log(`[seed-large] ${stored} results`, "replayed" in out && out.replayed ? "(already stored)" : "");
}
process.exit(0);
