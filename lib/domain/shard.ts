/**
 * Splitting a build plan into n disjoint parts for n machines that never talk to each other.
 *
 * Invariants (property-tested in tests/unit/shard.test.ts):
 * - deterministic: the same set of items gives the same parts, whatever their order;
 * - disjoint, and the parts together are the whole plan;
 * - balanced by expected cost: greedy longest-processing-time (each item, most expensive first,
 *   goes to the part with the least cost so far), so no part exceeds the ideal share by more than
 *   the single most expensive item, and the k slowest items land on k different parts (k ≤ n).
 */

export interface Shard {
  /** 1-based, as in `--shard 2/4`, GitLab's CI_NODE_INDEX and a GitHub matrix 1..N */
  index: number;
  count: number;
}

export const MAX_SHARDS = 10_000;

/** "i/n" with 1 ≤ i ≤ n ≤ 10000; throws with the reason otherwise. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new Error(`invalid shard "${text}": expected i/n, e.g. 2/4`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw new Error(`invalid shard "${text}": n must be between 1 and ${MAX_SHARDS}`);
  if (index < 1 || index > count) throw new Error(`invalid shard "${text}": i must be between 1 and n (${count})`);
  return { index, count };
}

export interface Costed {
  /** unique within a plan; ties in cost are broken by it, so order never matters */
  key: string;
  cost: number;
}

/** The part (1-based) of every item, keyed by item key. Keys must be unique. */
export function assignShards(items: readonly Costed[], count: number): Map<string, number> {
  if (!Number.isInteger(count) || count < 1) throw new Error(`shard count must be a positive integer, got ${count}`);
  const order = [...items].sort((a, b) => b.cost - a.cost || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const size = new Array<number>(count).fill(0);
  const out = new Map<string, number>();
  for (const item of order) {
    if (out.has(item.key)) throw new Error(`duplicate plan key "${item.key}"`);
    // the least loaded part; among equally loaded ones the one with fewest items, so items of no
    // known cost (0) spread out too instead of piling onto the first part
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s] < load[best] || (load[s] === load[best] && size[s] < size[best])) best = s;
    load[best] += Math.max(0, item.cost);
    size[best] += 1;
    out.set(item.key, best + 1);
  }
  return out;
}

/** The items of one part, in their original order. */
export function selectShard<T extends Costed>(items: readonly T[], shard: Shard): T[] {
  const parts = assignShards(items, shard.count);
  return items.filter((i) => parts.get(i.key) === shard.index);
}
