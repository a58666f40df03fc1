/**
 * The busy-server microcache (issue 11, capacity): when a server process is overloaded, a public
 * GET that was answered moments ago is answered again from memory instead of being rendered
 * again. On a server that is not busy nothing is served from it, so every answer is fresh and a
 * reporter that posts results and then opens the page sees them at once.
 *
 * The rules, pure and table-tested here:
 * - what may be cached: GET or HEAD, no token or cookie, not a client-side navigation (RSC)
 *   request, not a live probe (health) or a reporter's resume list; only 200 answers that set no
 *   cookie;
 * - the key: the path and query exactly as sent, and the Accept-Encoding (the stored bytes are
 *   compressed for it);
 * - when to serve from it: only while busy (requests in flight in this process ≥ busyAt), only an
 *   answer finished at most maxAgeMs ago; past half that age one request renders it again while
 *   the others still get the stored one, so a page requested steadily is replayed for at most
 *   maxAgeMs after its render. With no answer fresh enough, a request for a URL whose render is
 *   already running waits for that render's answer instead of starting its own. (Age counts from
 *   the end of the render: on an overloaded server a render itself takes seconds, and an answer
 *   counted from its start would be born too old to replay, which is when replaying matters most.)
 * - a request that finds no render of its URL running takes its turn in the queue like any other,
 *   and is answered from the cache if, when its turn comes, a fresh enough answer is there: reads
 *   are served in arrival order. Letting the others past the queue while a refresh waited its turn
 *   was tried under `npm run load` (200 closed-loop clients): page p50 1.5 s → 1–7 ms, but p95
 *   2.1 → 2.5–3.1 s from a fresh start, since a client answered at once comes back at once and the
 *   queue of renders then holds all 200.
 *
 * The stored bytes include the page's CSP nonce, so a cache hit replays the nonce of the answer it
 * copies. That is safe because the replay is byte-identical: content injected into a page would
 * have to be in the stored bytes already, which were rendered with React's escaping; another URL
 * has its own render and its own nonce.
 */

export interface MicrocacheConfig {
  /** requests in flight in this process from which the server counts as busy; null: never serve from the cache */
  busyAt: number | null;
  /** the oldest answer served from the cache */
  maxAgeMs: number;
  /** bytes of stored answers kept, least recently used dropped first */
  maxBytes: number;
  /** larger answers are not stored */
  maxEntryBytes: number;
}

export const MICROCACHE_DEFAULTS: MicrocacheConfig = {
  busyAt: 16,
  maxAgeMs: 5_000,
  maxBytes: 64 * 1024 * 1024,
  maxEntryBytes: 4 * 1024 * 1024,
};

/**
 * MODCOMPAT_MICROCACHE: "off", or "<busy requests>/<seconds>" (default "16/5": serve answers up to
 * 5 s old while 16 or more requests are in flight in the process).
 */
export function microcacheConfig(env: NodeJS.ProcessEnv = process.env): MicrocacheConfig {
  const text = env.MODCOMPAT_MICROCACHE?.trim();
  if (!text) return MICROCACHE_DEFAULTS;
  if (/^(off|0|none)$/i.test(text)) return { ...MICROCACHE_DEFAULTS, busyAt: null };
  const m = /^(\d{1,5})\s*\/\s*(\d{1,3}(?:\.\d{1,3})?)$/.exec(text);
  if (!m || Number(m[1]) < 1 || !(Number(m[2]) > 0) || Number(m[2]) > 60) {
    throw new Error(`invalid MODCOMPAT_MICROCACHE "${text}": use <busy requests>/<seconds> (e.g. 16/5, seconds at most 60) or off`);
  }
  return { ...MICROCACHE_DEFAULTS, busyAt: Number(m[1]), maxAgeMs: Number(m[2]) * 1000 };
}

export interface RequestFacts {
  method: string;
  /** path and query as sent */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Paths never answered from the cache: live state a client polls, or a reporter's own progress. */
const LIVE_PATHS = [/^\/api\/v1\/health(\/|\?|$)/, /^\/api\/v1\/results\/known(\/|\?|$)/, /^\/_next\//];

/** The cache key of a request, or null when its answer must never be cached. */
export function microcacheKey(req: RequestFacts): string | null {
  if (req.method !== "GET" && req.method !== "HEAD") return null;
  const h = req.headers;
  if (h.authorization !== undefined || h.cookie !== undefined) return null;
  // client-side navigations and prefetches (React Server Components payloads, per router state)
  if (h.rsc !== undefined || h["next-router-state-tree"] !== undefined || h["next-router-prefetch"] !== undefined || h["next-router-segment-prefetch"] !== undefined || h["next-action"] !== undefined) return null;
  if (!req.url.startsWith("/") || LIVE_PATHS.some((re) => re.test(req.url))) return null;
  const encoding = Array.isArray(h["accept-encoding"]) ? h["accept-encoding"].join(",") : (h["accept-encoding"] ?? "");
  return `${req.method === "HEAD" ? "GET" : req.method} ${req.url}\n${encoding}`;
}

export interface StoredAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** when the render that produced it started (ms): of two renders, the later-started one is kept */
  startedAt: number;
  /** when that render finished (ms): the answer's age counts from here */
  renderedAt: number;
}

/** Whether an answer may be stored. */
export function storable(status: number, headers: Record<string, unknown>, bytes: number, config: MicrocacheConfig): boolean {
  return status === 200 && headers["set-cookie"] === undefined && bytes <= config.maxEntryBytes;
}

export type MicrocacheDecision = "hit" | "render" | "join";

/**
 * Serve the stored answer, render, or join: wait for the render of this key that is already
 * running and take its answer (collapsed forwarding: on a busy server, 30 requests for one page
 * cost one render, not 30; the answer is at most one render old when it arrives). `refreshing`: a
 * render of this key is already running in this process.
 */
export function decide(input: {
  inFlight: number;
  stored: { renderedAt: number } | undefined;
  refreshing: boolean;
  now: number;
  config: MicrocacheConfig;
}): MicrocacheDecision {
  const { config, stored } = input;
  if (config.busyAt === null || input.inFlight < config.busyAt) return "render";
  const age = stored ? input.now - stored.renderedAt : Infinity;
  if (age < 0 || age > config.maxAgeMs) return input.refreshing ? "join" : "render";
  if (age > config.maxAgeMs / 2 && !input.refreshing) return "render";
  return "hit";
}

/** Stored answers, least recently used dropped first once over maxBytes. */
export class MicrocacheStore {
  private entries = new Map<string, StoredAnswer>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  get(key: string): StoredAnswer | undefined {
    const e = this.entries.get(key);
    if (e) {
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    return e;
  }

  set(key: string, answer: StoredAnswer): void {
    const old = this.entries.get(key);
    // an older render finishing after a newer one must not replace it
    if (old && old.startedAt > answer.startedAt) return;
    if (old) {
      this.bytes -= old.body.length;
      this.entries.delete(key);
    }
    if (answer.body.length > this.maxBytes) return;
    this.entries.set(key, answer);
    this.bytes += answer.body.length;
    while (this.bytes > this.maxBytes) {
      const [k, e] = this.entries.entries().next().value!;
      this.entries.delete(k);
      this.bytes -= e.body.length;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get storedBytes(): number {
    return this.bytes;
  }
}
