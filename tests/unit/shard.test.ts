import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { medianCosts } from "../../lib/domain/build-cost";
import { assignShards, parseShard, selectShard, type Costed } from "../../lib/domain/shard";
import { DEMO_BUILD_COSTS } from "../../lib/data/build-costs";
import { makePlan, shardKeys } from "../../lib/runner/plan";
import type { IngestBody } from "../../lib/schemas/ingest";

/** Plans of distinct keys with costs from 0 to 10 minutes, often with a few very slow items. */
const planArb = fc.uniqueArray(
  fc.record({ key: fc.string({ minLength: 1, maxLength: 12 }), cost: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 100_000, max: 600_000 })) }),
  { selector: (i) => i.key, maxLength: 200 },
);
const countArb = fc.integer({ min: 1, max: 16 });

function parts(items: readonly Costed[], n: number): Costed[][] {
  return Array.from({ length: n }, (_, i) => selectShard(items, { index: i + 1, count: n }));
}

describe("parseShard", () => {
  it.each([
    ["1/1", { index: 1, count: 1 }],
    ["2/4", { index: 2, count: 4 }],
    [" 4 / 4 ", { index: 4, count: 4 }],
  ])("%s", (text, want) => expect(parseShard(text)).toEqual(want));

  it.each(["0/4", "5/4", "1/0", "a/b", "1", "-1/2", "1.5/2", "1/10001"])("rejects %s", (text) => {
    expect(() => parseShard(text)).toThrow(/invalid shard/);
  });
});

describe("sharding properties", () => {
  it("parts are disjoint and together are the plan", () => {
    fc.assert(
      fc.property(planArb, countArb, (items, n) => {
        const all = parts(items, n).flat();
        expect(all).toHaveLength(items.length);
        expect(new Set(all.map((i) => i.key))).toEqual(new Set(items.map((i) => i.key)));
      }),
    );
  });

  it("is deterministic: any order of the same plan gives the same parts", () => {
    fc.assert(
      fc.property(
        planArb.chain((items) => fc.tuple(fc.constant(items), fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }))),
        countArb,
        ([items, shuffled], n) => {
          expect(assignShards(shuffled, n)).toEqual(assignShards(items, n));
        },
      ),
    );
  });

  it("is balanced: no part exceeds the ideal share by more than the costliest item", () => {
    fc.assert(
      fc.property(planArb, countArb, (items, n) => {
        const total = items.reduce((a, i) => a + i.cost, 0);
        const max = items.reduce((a, i) => Math.max(a, i.cost), 0);
        for (const p of parts(items, n)) expect(p.reduce((a, i) => a + i.cost, 0)).toBeLessThanOrEqual(total / n + max);
      }),
    );
  });

  it("spreads the slow items: the k costliest land on k different parts (k ≤ n)", () => {
    fc.assert(
      fc.property(planArb, countArb, (items, n) => {
        const shard = assignShards(items, n);
        const slowest = [...items].sort((a, b) => b.cost - a.cost).slice(0, n);
        expect(new Set(slowest.map((i) => shard.get(i.key))).size).toBe(slowest.length);
      }),
    );
  });

  it("spreads items of no known cost too (found by the property above: three 0-cost items on 2 parts)", () => {
    const shard = assignShards([{ key: "a", cost: 0 }, { key: "b", cost: 0 }, { key: "c", cost: 0 }], 2);
    expect([...shard.values()].sort()).toEqual([1, 1, 2]);
  });

  it("leaves no part empty while there are at least n items", () => {
    fc.assert(
      fc.property(planArb, countArb, (items, n) => {
        fc.pre(items.length >= n);
        for (const p of parts(items, n)) expect(p.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe("makePlan and shardKeys", () => {
  const modules = [
    { slug: "zfs", version: "2.1.11" },
    { slug: "openafs", version: "1.8.9" },
    { slug: "v4l2loopback", version: "0.12.7" },
    { slug: "ddcci", version: "0.4.2" },
  ];
  const kernels = ["6.1.0-56-amd64", "6.12.107+deb12-amd64", "6.1.0-56-rt-amd64"];

  it("lists every module × kernel with its environment and expected cost", () => {
    const plan = makePlan({ modules, kernels, arch: "x86_64" });
    expect(plan.entries).toHaveLength(12);
    expect(plan.entries[0]).toEqual({
      module: "zfs",
      version: "2.1.11",
      kernel: "6.1.0-56-amd64",
      environment: { arch: "x86_64", distro: "debian", flavour: "amd64" },
      expectedCostMs: DEMO_BUILD_COSTS.perModule.zfs,
      shard: 1,
    });
    expect(plan.entries.find((e) => e.module === "nope")).toBeUndefined();
    expect(makePlan({ modules: [{ slug: "unknown-mod", version: "1" }], kernels, arch: "x86_64" }).entries[0].expectedCostMs).toBe(DEMO_BUILD_COSTS.fallbackMs);
  });

  it("spreads OpenZFS builds over the parts instead of stacking them", () => {
    const plan = makePlan({ modules, kernels, arch: "x86_64", shards: 3 });
    expect(new Set(plan.entries.filter((e) => e.module === "zfs").map((e) => e.shard))).toEqual(new Set([1, 2, 3]));
    expect(Math.max(...plan.shardCostMs) / Math.min(...plan.shardCostMs)).toBeLessThan(1.5);
  });

  it("shardKeys of every part partition the plan, in any module and kernel order", () => {
    const all = new Set<string>();
    for (let i = 1; i <= 4; i++) {
      const a = shardKeys({ modules, kernels, arch: "x86_64", shard: { index: i, count: 4 } });
      const b = shardKeys({ modules: [...modules].reverse(), kernels: [...kernels].reverse(), arch: "x86_64", shard: { index: i, count: 4 } });
      expect(b).toEqual(a);
      for (const k of a) {
        expect(all.has(k)).toBe(false);
        all.add(k);
      }
    }
    expect(all.size).toBe(12);
  });

  it("the cost table is the demo data's medians (rebuilt from data/demo)", () => {
    const raw = JSON.parse(readFileSync("data/demo/debian12-dkms.json", "utf8")) as IngestBody | IngestBody[];
    const results = (Array.isArray(raw) ? raw : [raw]).flatMap((b) => b.results);
    expect(medianCosts(results)).toEqual(DEMO_BUILD_COSTS.perModule);
  });
});

describe("loadCostTable (MODCOMPAT_BUILD_COSTS)", () => {
  it("reads a table or a plain per-module object, and refuses anything else", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const { loadCostTable } = await import("../../lib/runner/plan");
    const d = mkdtempSync(path.join(tmpdir(), "costs-"));
    const f = (name: string, v: unknown) => (writeFileSync(path.join(d, name), JSON.stringify(v)), path.join(d, name));
    expect(loadCostTable(undefined)).toBe(DEMO_BUILD_COSTS);
    expect(loadCostTable(f("a.json", { perModule: { zfs: 10 }, fallbackMs: 3 }))).toEqual({ perModule: { zfs: 10 }, fallbackMs: 3 });
    expect(loadCostTable(f("b.json", { zfs: 10 }))).toEqual({ perModule: { zfs: 10 }, fallbackMs: DEMO_BUILD_COSTS.fallbackMs });
    expect(() => loadCostTable(f("c.json", { zfs: "slow" }))).toThrow(/bad value for "zfs"/);
    expect(() => loadCostTable(path.join(d, "missing.json"))).toThrow(/MODCOMPAT_BUILD_COSTS=/);
    // the table decides the split
    const modules = [{ slug: "a", version: "1" }, { slug: "b", version: "1" }, { slug: "c", version: "1" }];
    const plan = makePlan({ modules, kernels: ["6.1"], arch: "x86_64", shards: 2, costs: loadCostTable(f("d.json", { a: 100, b: 60, c: 50 })) });
    expect(plan.shardCostMs).toEqual([100, 110]);
  });
});
