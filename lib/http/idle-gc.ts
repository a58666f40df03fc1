import { Session } from "node:inspector/promises";
import { performance } from "node:perf_hooks";

/**
 * A full collection when a server has gone quiet, so that the memory a burst of requests left
 * behind goes back to the system (issue 14's memory goal: the Next server's RSS after the bench).
 *
 * Why: a page render allocates more than the young generation holds, so much of it is promoted and
 * dies in the old generation, where V8 collects only when that generation reaches its next limit.
 * After 90 renders of the 100 × 400 module page, a Next server held 272–300 MB of RSS with 114 MB
 * of heap in use and no full collection since start-up. Node gives V8 no idle time of its own, so
 * nothing collects while the process waits; and `gc()` (--expose-gc) frees the heap but keeps its
 * pages (RSS unchanged). V8's collection of all available garbage, which the inspector protocol's
 * HeapProfiler.collectGarbage runs, also gives the pages back: 179 MB of RSS, 53 MB in use.
 *
 * How: every `everyMs` the process's event-loop utilisation over the last interval is read; when it
 * was below `quietBelow` (waiting, not working) and the heap in use grew by `minGrowthBytes` since
 * the last collection this made (or since start), it collects once, through an in-process
 * inspector session opened for that call only. A busy process never pays for it; a quiet one pays
 * one full collection per burst of work (tens of ms, while nothing is waiting).
 */
export interface IdleCollectorOptions {
  everyMs?: number;
  quietBelow?: number;
  minGrowthBytes?: number;
  /** called after each collection with the heap in use before and after (tests, logs) */
  onCollect?: (before: number, after: number) => void;
}

export function startIdleCollector(opts: IdleCollectorOptions = {}): { stop: () => void } {
  const everyMs = opts.everyMs ?? 2000;
  const quietBelow = opts.quietBelow ?? 0.02;
  const minGrowth = opts.minGrowthBytes ?? 24 * 1024 * 1024;
  let baseline = process.memoryUsage().heapUsed;
  let last = performance.eventLoopUtilization();
  let collecting = false;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    const before = process.memoryUsage().heapUsed;
    if (collecting || busy >= quietBelow || before - baseline < minGrowth) return;
    collecting = true;
    collectAllGarbage()
      .then(() => {
        baseline = process.memoryUsage().heapUsed;
        opts.onCollect?.(before, baseline);
      })
      .catch((err: unknown) => {
        // the inspector may be unavailable (a Node built without it): stop trying
        console.error("[idle-gc] cannot collect:", err instanceof Error ? err.message : err);
        clearInterval(timer);
      })
      .finally(() => {
        collecting = false;
        // the collection itself is not work to hold against the next interval
        last = performance.eventLoopUtilization();
      });
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** V8's collection of all available garbage, which also returns free pages to the system. */
export async function collectAllGarbage(): Promise<void> {
  const session = new Session();
  session.connect();
  try {
    await session.post("HeapProfiler.collectGarbage");
  } finally {
    session.disconnect();
  }
}
