/**
 * The build plan: every module version × kernel a `modcompat build` would run, with its expected
 * cost, and the part of it that `--shard i/n` selects. `modcompat plan` prints exactly what
 * `modcompat build` shards, so an external scheduler and the runner agree by construction.
 */
import { readFileSync } from "node:fs";
import { expectedCostMs, type CostTable } from "../domain/build-cost";
import { tryParseKernelVersion } from "../domain/kernel-version";
import { assignShards, type Shard } from "../domain/shard";
import { DEMO_BUILD_COSTS } from "../data/build-costs";
import { comboKey } from "./report";

export interface PlanEntry {
  module: string;
  version: string;
  kernel: string;
  environment: { arch: string; distro?: string; flavour?: string };
  expectedCostMs: number;
  /** 1-based part of `shards` this entry belongs to */
  shard: number;
}

export interface Plan {
  shards: number;
  totalCostMs: number;
  /** expected cost of each part, 1..shards */
  shardCostMs: number[];
  entries: PlanEntry[];
}

export interface PlanInput {
  modules: ReadonlyArray<{ slug: string; version: string }>;
  kernels: readonly string[];
  arch: string;
  /** number of parts; 1 = no sharding */
  shards?: number;
  costs?: CostTable;
}

/**
 * The cost table sharding uses: the JSON file named by MODCOMPAT_BUILD_COSTS (`{ "perModule":
 * { "zfs": 600000, … }, "fallbackMs": 7000 }`, or just the per-module object), else the demo
 * machine's medians. Every shard of one run must see the same table, or the parts would overlap:
 * commit the file with the pipeline rather than fetching it per job.
 */
export function loadCostTable(file = process.env.MODCOMPAT_BUILD_COSTS): CostTable {
  if (!file) return DEMO_BUILD_COSTS;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`MODCOMPAT_BUILD_COSTS=${file}: ${(e as Error).message}`, { cause: e });
  }
  const obj = (raw ?? {}) as { perModule?: unknown; fallbackMs?: unknown };
  const perModule = (obj.perModule ?? raw) as Record<string, unknown> | null;
  const isObject = typeof perModule === "object" && perModule !== null && !Array.isArray(perModule);
  const bad = isObject ? Object.entries(perModule).find(([, v]) => typeof v !== "number" || !Number.isFinite(v) || v < 0) : undefined;
  if (!isObject || bad) {
    throw new Error(`MODCOMPAT_BUILD_COSTS=${file}: expected { "module": milliseconds, … }${bad ? ` (bad value for "${bad[0]}")` : ""}`);
  }
  const fallbackMs = typeof obj.fallbackMs === "number" ? obj.fallbackMs : DEMO_BUILD_COSTS.fallbackMs;
  return { perModule: perModule as Record<string, number>, fallbackMs };
}

const keyOf = (e: { module: string; version: string; kernel: string; arch: string }) =>
  comboKey({ module: e.module, moduleVersion: e.version, kernel: e.kernel, arch: e.arch });

/** Entries ordered by module, version, kernel (as given), each with its part. Duplicates collapse. */
export function makePlan(input: PlanInput): Plan {
  const costs = input.costs ?? loadCostTable();
  const shards = input.shards ?? 1;
  const seen = new Set<string>();
  const entries: PlanEntry[] = [];
  for (const m of input.modules) {
    for (const kernel of input.kernels) {
      const key = keyOf({ module: m.slug, version: m.version, kernel, arch: input.arch });
      if (seen.has(key)) continue;
      seen.add(key);
      const parsed = tryParseKernelVersion(kernel);
      const k = parsed.ok ? parsed.value : undefined;
      entries.push({
        module: m.slug,
        version: m.version,
        kernel,
        environment: {
          arch: input.arch,
          ...(k?.distro ? { distro: k.distro } : {}),
          ...(k?.flavour ? { flavour: k.flavour } : {}),
        },
        expectedCostMs: expectedCostMs(costs, m.slug),
        shard: 1,
      });
    }
  }
  const parts = assignShards(
    entries.map((e) => ({ key: keyOf({ ...e, arch: e.environment.arch }), cost: e.expectedCostMs })),
    shards,
  );
  const shardCostMs = new Array<number>(shards).fill(0);
  for (const e of entries) {
    e.shard = parts.get(keyOf({ ...e, arch: e.environment.arch }))!;
    shardCostMs[e.shard - 1] += e.expectedCostMs;
  }
  return { shards, totalCostMs: shardCostMs.reduce((a, b) => a + b, 0), shardCostMs, entries };
}

/** The comboKeys (lib/runner/report.ts) of one part, for filtering the runner's job list. */
export function shardKeys(input: Omit<PlanInput, "shards"> & { shard: Shard }): Set<string> {
  const plan = makePlan({ ...input, shards: input.shard.count });
  return new Set(plan.entries.filter((e) => e.shard === input.shard.index).map((e) => keyOf({ ...e, arch: e.environment.arch })));
}
