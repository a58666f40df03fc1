/**
 * `npx tsx scripts/demo-stats.ts [files…]`: what the demo data holds — results, modules, versions,
 * kernels, series, pass/fail/error/skip per series, and the build time spent — from the ingest
 * bodies in data/demo (default) or the given files (JSON bodies or JSONL runner state).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { compareSeries, tryParseKernelVersion } from "../lib/domain/kernel-version";
import type { IngestResult } from "../lib/schemas/ingest";

function load(file: string): IngestResult[] {
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".jsonl")) {
    return text
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { result: IngestResult }).result);
  }
  const parsed = JSON.parse(text) as { results: IngestResult[] } | Array<{ results: IngestResult[] }>;
  return (Array.isArray(parsed) ? parsed : [parsed]).flatMap((b) => b.results);
}

const dir = path.resolve(import.meta.dirname, "../data/demo");
const files = process.argv.slice(2).length ? process.argv.slice(2) : readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => path.join(dir, f));
const results = files.flatMap(load);
const modules = new Set(results.map((r) => r.module));
const versions = new Set(results.map((r) => `${r.module}@${r.moduleVersion}`));
const kernels = new Set(results.map((r) => r.kernel));
const bySeries = new Map<string, Record<string, number>>();
let ms = 0;
for (const r of results) {
  const p = tryParseKernelVersion(r.kernel);
  // Debian's +debNN tag tells 6.12 of Debian 12 from 6.12 of Debian 13
  const tag = p.ok && p.value.distroRelease && /^deb\d+/.test(p.value.distroRelease) ? `+${p.value.distroRelease.replace(/\..*$/, "")}` : "";
  const series = p.ok ? `${p.value.series}${p.value.rc !== null ? "-rc" : tag}` : "?";
  const row = bySeries.get(series) ?? { pass: 0, fail: 0, error: 0, skip: 0 };
  row[r.status] += 1;
  bySeries.set(series, row);
  ms += r.durationMs ?? 0;
}
console.log(`${files.length} file(s): ${results.length} results, ${modules.size} modules, ${versions.size} module versions, ${kernels.size} kernels, ${bySeries.size} series`);
console.log(`build time recorded: ${(ms / 3_600_000).toFixed(1)} h (sum of every build's duration)`);
process.stdout.on("error", () => process.exit(0)); // `| head`
console.log("series      pass  fail error  skip");
for (const s of [...bySeries.keys()].sort((a, b) => compareSeries(a.replace(/-rc$|\+deb\d+$/, ""), b.replace(/-rc$|\+deb\d+$/, "")) || a.localeCompare(b))) {
  const r = bySeries.get(s)!;
  console.log(`${s.padEnd(10)} ${String(r.pass).padStart(5)} ${String(r.fail).padStart(5)} ${String(r.error).padStart(5)} ${String(r.skip).padStart(5)}`);
}
