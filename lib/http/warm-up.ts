/**
 * Warm-up of a server process of `npm start` before the front sends it anything (issue 11,
 * capacity). A new process is slow for its first minute: each route's code is loaded and compiled
 * by V8 on first use, and the per-process caches (decoded matrix columns, check answers, kernel
 * API snapshots, kernel rows) are empty. Measured with `npm run load` (200 clients, 10 s windows):
 * a fresh server answered 97–105 requests/s in its first 20 s against 170–190 once warm, and the
 * page p95 of a 60 s run from a cold start was 3.8–4.4 s against 2.3–2.5 s warm.
 *
 * So each reader, once it listens on its socket and before it tells the launcher so, asks itself
 * for every kind of page and API, then for each module's pages, then for each module's series
 * expanded, until the time budget (MODCOMPAT_WARMUP, seconds) is spent. Reads only: nothing is stored. Its requests carry the
 * process's own token (warm-up-token.ts), so the rate limit for clients does not stop them.
 */
import { request } from "node:http";
import { localityKey, ownerOf } from "./locality";
import { WARM_UP_HEADER, warmUpToken } from "./warm-up-token";

/** Seconds a reader spends warming up (MODCOMPAT_WARMUP). */
export const WARMUP_DEFAULT_SECONDS = 10;

/** MODCOMPAT_WARMUP: "off" or 0, or seconds (at most 300). */
export function warmUpSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.MODCOMPAT_WARMUP?.trim();
  if (!text) return WARMUP_DEFAULT_SECONDS;
  if (/^(off|none|no)$/i.test(text)) return 0;
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || n > 300) throw new Error(`invalid MODCOMPAT_WARMUP "${text}": use seconds (0–300, default ${WARMUP_DEFAULT_SECONDS}) or off`);
  return n;
}

/** The first paths: one of every route kind, so that each route's code is loaded even on a short budget. */
export const WARMUP_ROUTES = ["/", "/regressions", "/api/v1/modules", "/api/v1/kernels", "/check", "/upcoming"];

/**
 * The paths to ask for, in order: the route kinds, then each module's page, history, matrix API
 * and a check of it on the newest of `kernels` (page and API), modules in the order given; then
 * each module's page with one series expanded, series in the order given (the kernel list's: newest
 * first), so a short budget warms the series most asked for; then each module's check (API) on
 * each older kernel, newest first. A first expand of a module's series makes its cells' predictions
 * (kept per process afterwards): 14–45 ms of CPU on average on the demo, up to 600 ms for a module
 * with many footprints, against 13–15 ms once made; a first check of a module on a kernel costs
 * 6–9 ms against 3.5 ms once its answer is kept.
 */
export function warmUpPaths(slugs: readonly string[], kernels: readonly string[], series: readonly string[] = []): string[] {
  const out = [...WARMUP_ROUTES];
  const [kernel, ...older] = kernels;
  for (const slug of slugs) {
    const m = encodeURIComponent(slug);
    out.push(`/modules/${m}`, `/modules/${m}/history`, `/api/v1/modules/${m}/matrix`);
    if (kernel) {
      const q = `kernel=${encodeURIComponent(kernel)}&module=${m}`;
      out.push(`/api/v1/check?${q}`, `/check?${q}`);
    }
  }
  for (const s of series) for (const slug of slugs) out.push(`/modules/${encodeURIComponent(slug)}?expand=${encodeURIComponent(s)}`);
  for (const k of older) for (const slug of slugs) out.push(`/api/v1/check?kernel=${encodeURIComponent(k)}&module=${encodeURIComponent(slug)}`);
  return out;
}

/** GET a path from the server on `socketPath`; the status and body (bodies over 4 MB are cut), or status 0 on a failure. */
function get(socketPath: string, path: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path, method: "GET", headers: { "accept-encoding": "identity", [WARM_UP_HEADER]: warmUpToken() }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        if (size < 4 << 20) chunks.push(c);
        size += c.length;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", () => resolve({ status: 0, body: "" }));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve({ status: 0, body: "" }));
    req.end();
  });
}

const parse = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
};

/** The module slugs of a GET /api/v1/modules answer, and the newest kernel of a GET /api/v1/kernels answer. */
export function slugsOf(modules: unknown): string[] {
  const list = (modules as { modules?: { slug?: unknown }[] } | null)?.modules;
  return Array.isArray(list) ? list.map((m) => m?.slug).filter((s): s is string => typeof s === "string") : [];
}
/** The series of a GET /api/v1/kernels answer, each once, in the answer's order. */
export function seriesOf(kernels: unknown): string[] {
  const list = (kernels as { kernels?: { series?: unknown }[] } | null)?.kernels;
  return Array.isArray(list) ? [...new Set(list.map((k) => k?.series).filter((s): s is string => typeof s === "string"))] : [];
}
/** The kernels of a GET /api/v1/kernels answer, in the answer's order (newest first). */
export function kernelsOf(kernels: unknown): string[] {
  const list = (kernels as { kernels?: { version?: unknown }[] } | null)?.kernels;
  return Array.isArray(list) ? list.map((k) => k?.version).filter((v): v is string => typeof v === "string") : [];
}

export interface WarmUpReport {
  requests: number;
  /** answers that were not 2xx (a 404 of an empty database is fine; a 5xx is worth a look) */
  failed: number;
  ms: number;
  /** the paths were all asked for before the budget ran out */
  complete: boolean;
}

/**
 * The paths a reader of `npm start` owns (lib/http/locality.ts): those of the modules and checks
 * the front sends it, and every path of no module. Undefined (every path) for a lone reader or
 * one not among `readers`.
 */
export function ownedBy(me: string | undefined, readers: readonly string[]): ((path: string) => boolean) | undefined {
  if (!me || readers.length < 2 || !readers.includes(me)) return undefined;
  return (path) => {
    const key = localityKey(path);
    return key === null || ownerOf(key, readers) === me;
  };
}

/**
 * Ask the server on `socketPath` for warmUpPaths, `concurrency` at a time, until they are done or
 * `budgetMs` has passed (a request in progress then finishes; none is started after). With `owns`
 * (ownedBy), only the paths it accepts: a reader warms what the front will send it, so with two
 * readers each budget goes twice as far.
 */
export async function warmUp(socketPath: string, budgetMs: number, opts: { concurrency?: number; owns?: (path: string) => boolean } = {}): Promise<WarmUpReport> {
  const concurrency = opts.concurrency ?? 2;
  const start = performance.now();
  const left = () => budgetMs - (performance.now() - start);
  let requests = 0;
  let failed = 0;
  const ask = async (path: string) => {
    const res = await get(socketPath, path, Math.max(1_000, left()));
    requests++;
    if (res.status < 200 || res.status >= 300) failed++;
    return res;
  };
  if (budgetMs <= 0) return { requests, failed, ms: 0, complete: false };
  // the lists come first: the module and kernel the rest asks for
  const [modules, kernels] = await Promise.all([ask("/api/v1/modules"), ask("/api/v1/kernels")]);
  const kernelList = parse(kernels.body);
  const paths = warmUpPaths(slugsOf(parse(modules.body)), kernelsOf(kernelList), seriesOf(kernelList)).filter(
    (p) => p !== "/api/v1/modules" && p !== "/api/v1/kernels" && (!opts.owns || opts.owns(p)),
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < paths.length && left() > 0) await ask(paths[next++]);
    }),
  );
  return { requests, failed, ms: Math.round(performance.now() - start), complete: next >= paths.length };
}
