import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { collectAllGarbage, startIdleCollector } from "@/lib/http/idle-gc";

const MB = 1024 * 1024;

/**
 * Keep allocating (and holding) objects for at least `ms` and until the heap grew by `bytes`, in
 * slices that leave the event loop busy throughout.
 */
async function busyAllocating(ms: number, bytes: number, into: object[]): Promise<void> {
  const end = Date.now() + ms;
  const from = process.memoryUsage().heapUsed;
  while (Date.now() < end || process.memoryUsage().heapUsed - from < bytes) {
    const slice = Date.now() + 20;
    while (Date.now() < slice) for (let i = 0; i < 2000; i++) into.push({ i, text: `entry ${i} ${into.length}` });
    await new Promise((r) => setImmediate(r));
  }
}

/** About `mb` MB of objects that are garbage as soon as this returns (nothing keeps them). */
function makeGarbage(mb: number): number {
  let list: object[] = [];
  const from = process.memoryUsage().heapUsed;
  while (process.memoryUsage().heapUsed - from < mb * MB) for (let i = 0; i < 10_000; i++) list.push({ i, text: `garbage ${i} ${list.length}` });
  const n = list.length;
  list = [];
  return n;
}

describe("startIdleCollector (lib/http/idle-gc.ts)", () => {
  it("collects once when the process goes quiet after its heap grew, never while it is busy, and not again while nothing grows", async () => {
    const collections: { before: number; after: number; at: number }[] = [];
    const start = process.memoryUsage().heapUsed;
    const collector = startIdleCollector({ everyMs: 100, minGrowthBytes: 16 * MB, onCollect: (before, after) => collections.push({ before, after, at: Date.now() }) });
    try {
      // Held, so that whatever V8 collects by itself meanwhile, the heap stays grown.
      const held: object[] = [];
      await busyAllocating(600, 48 * MB, held);
      const busyUntil = Date.now();
      // Six intervals or more passed with the heap growing, all of them busy: nothing was collected.
      expect(collections).toEqual([]);

      // Quiet: one collection within a few intervals.
      for (let i = 0; i < 30 && collections.length === 0; i++) await sleep(50);
      expect(collections).toHaveLength(1);
      expect(collections[0].at).toBeGreaterThan(busyUntil);
      expect(collections[0].before).toBeGreaterThan(start + 16 * MB);

      // Still quiet, and nothing grew since: no second collection.
      await sleep(400);
      expect(collections).toHaveLength(1);
      expect(held.length).toBeGreaterThan(0);
    } finally {
      collector.stop();
    }
  }, 20_000);

  it("collectAllGarbage frees what nothing holds and gives the heap's pages back", async () => {
    await collectAllGarbage();
    const clean = process.memoryUsage();
    expect(makeGarbage(64)).toBeGreaterThan(0);
    const dirty = process.memoryUsage();
    expect(dirty.heapUsed - clean.heapUsed).toBeGreaterThan(48 * MB);
    await collectAllGarbage();
    const after = process.memoryUsage();
    expect(after.heapUsed).toBeLessThan(clean.heapUsed + 8 * MB);
    // the pages the garbage took are returned, not kept for later (what gc() alone does)
    expect(after.heapTotal).toBeLessThan(dirty.heapTotal - 32 * MB);
  }, 20_000);
});
