/**
 * Expected build cost per module, for balancing shards. A module's cost is the median duration of
 * its pass and fail results (skips and environment errors end early and say nothing about it).
 */

export interface TimedResult {
  module: string;
  status: string;
  durationMs?: number | null;
}

export function medianCosts(results: readonly TimedResult[]): Record<string, number> {
  const by = new Map<string, number[]>();
  for (const r of results) {
    if ((r.status !== "pass" && r.status !== "fail") || r.durationMs == null) continue;
    const list = by.get(r.module) ?? [];
    list.push(r.durationMs);
    by.set(r.module, list);
  }
  const out: Record<string, number> = {};
  for (const [module, list] of [...by].sort(([a], [b]) => (a < b ? -1 : 1))) {
    list.sort((a, b) => a - b);
    out[module] = list[Math.floor(list.length / 2)];
  }
  return out;
}

export interface CostTable {
  perModule: Readonly<Record<string, number>>;
  /** for modules never timed */
  fallbackMs: number;
}

export function expectedCostMs(table: CostTable, module: string): number {
  return table.perModule[module] ?? table.fallbackMs;
}
