import type { IngestBody, IngestResult } from "../schemas/ingest";
import type { Status } from "../domain/status";

/**
 * Deterministic synthetic results, for scale benchmarks and as a labelled fallback demo only.
 * Every module breaks at some kernel series and is fixed a few releases later, like real ones.
 */

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence, in [0, 1). */
export function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  seed?: number;
  modules?: number;
  versionsPerModule?: number;
  /** kernel series, oldest first, e.g. ["5.15", "6.1"] */
  series?: string[];
  patchesPerSeries?: number;
  arches?: string[];
  source?: string;
}

const DEFAULT_SERIES = ["5.15", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "6.11", "6.12"];
const ERRORS = [
  "implicit declaration of function 'strlcpy'",
  "'struct block_device' has no member named 'bd_inode'",
  "too few arguments to function 'blk_alloc_disk'",
  "asm/unaligned.h: No such file or directory",
  "implicit declaration of function 'del_timer_sync'",
];

export function syntheticKernels(series: readonly string[], patches: number): string[] {
  return series.flatMap((s) => Array.from({ length: patches }, (_, i) => (i === 0 ? s : `${s}.${i * 3}`)));
}

/** Yields ingest bodies of at most `chunk` results each, so a million results never sit in memory. */
export function* syntheticBodies(opts: SyntheticOptions & { chunk?: number } = {}): Generator<IngestBody> {
  const rnd = mulberry32(opts.seed ?? 42);
  const series = opts.series ?? DEFAULT_SERIES;
  const kernels = syntheticKernels(series, opts.patchesPerSeries ?? 3);
  const arches = opts.arches ?? ["x86_64"];
  const chunk = opts.chunk ?? 5000;
  const source = opts.source ?? "synthetic";
  let buf: IngestResult[] = [];
  let part = 0;
  const flush = (): IngestBody => ({
    run: {
      source,
      id: `synthetic-${opts.seed ?? 42}-${++part}`,
      startedAt: "2026-01-01T00:00:00Z",
      meta: { synthetic: true, generator: "lib/synthetic/generate.ts", note: "made-up results for benchmarks; not real builds" },
    },
    results: buf,
  });
  for (let m = 0; m < (opts.modules ?? 6); m++) {
    const breakAt = 1 + Math.floor(rnd() * (kernels.length - 2));
    const versions = opts.versionsPerModule ?? 5;
    const fixedIn = Math.floor(rnd() * versions); // versions >= fixedIn pass on new kernels
    const error = ERRORS[m % ERRORS.length];
    for (let v = 0; v < versions; v++) {
      const version = `${1 + Math.floor(v / 10)}.${v % 10}.${m % 3}`;
      for (let k = 0; k < kernels.length; k++) {
        for (const arch of arches) {
          let status: Status = k >= breakAt && v < fixedIn ? "fail" : "pass";
          const r = rnd();
          if (r < 0.02) status = "error";
          else if (r < 0.03 && k < 2) status = "skip";
          buf.push({
            module: `synthetic-mod-${m + 1}`,
            moduleVersion: version,
            kernel: kernels[k],
            arch,
            stage: "build",
            status,
            durationMs: 1000 + Math.floor(rnd() * 60000),
            ...(status === "fail" ? { errorLine: error } : status === "error" ? { errorLine: "timed out after 1200 s" } : {}),
            finishedAt: new Date(Date.UTC(2026, 0, 1) + (k * versions + v) * 3600_000).toISOString(),
          });
          if (buf.length >= chunk) {
            yield flush();
            buf = [];
          }
        }
      }
    }
  }
  if (buf.length) yield flush();
}

/** Small fallback demo used only when no real demo file is committed. */
export function syntheticDemo(): IngestBody {
  const bodies = [...syntheticBodies({ modules: 4, versionsPerModule: 4, patchesPerSeries: 2, chunk: Number.MAX_SAFE_INTEGER })];
  return bodies[0];
}
