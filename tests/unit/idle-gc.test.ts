import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { startIdleCollector } from "@/lib/http/idle-gc";

const MB = 1024 * 1024;

/** Keep allocating (and holding) objects for `ms`, in slices that leave the event loop busy throughout. */
async function busyAllocating(ms: number, into: object[]): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const slice = Date.now() + 20;
    while (Date.now() < slice) for (let i = 0; i < 2000; i++) into.push({ i, text: `entry ${i} ${into.length}` });
    await new Promise((r) => setImmediate(r));
  }
}

describe("startIdleCollector (lib/http/idle-gc.ts)", () => {
  it("collects once when the process goes quiet after a burst, never while it is busy, and gives the heap back", async () => {
    const collections: { before: number; after: number; at: number }[] = [];
    const collector = startIdleCollector({ everyMs: 100, minGrowthBytes: 16 * MB, onCollect: (before, after) => collections.push({ before, after, at: Date.now() }) });
    try {
      let held: object[] | null = [];
      const busyUntil = Date.now() + 600;
      await busyAllocating(600, held);
      // Six intervals passed with the heap growing, all of them busy: nothing was collected.
      expect(collections).toEqual([]);
      const grown = process.memoryUsage().heapUsed;
      expect(held.length).toBeGreaterThan(100_000);
      held = null;

      // Quiet: one collection within a few intervals, and the garbage is gone.
      for (let i = 0; i < 30 && collections.length === 0; i++) await sleep(50);
      expect(collections).toHaveLength(1);
      const [c] = collections;
      expect(c.at).toBeGreaterThan(busyUntil);
      expect(c.before - c.after).toBeGreaterThan(16 * MB);
      expect(process.memoryUsage().heapUsed).toBeLessThan(grown - 16 * MB);

      // Still quiet, but nothing grew since: no second collection.
      await sleep(400);
      expect(collections).toHaveLength(1);
    } finally {
      collector.stop();
    }
  }, 20_000);
});
