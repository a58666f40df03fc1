/**
 * The production HTTP layers of `npm start` (scripts/launch.ts): withMicrocache puts admission
 * control (lib/http/admission.ts) and the busy-server microcache (lib/http/microcache.ts, where the
 * rules are) in front of a handler; the launcher's front (lib/http/front.ts) runs it in front of the
 * server processes, and startServer is one server process: Next's own request handler (routing,
 * the proxy's headers and rate limits, compression) on a Unix socket.
 */
import cluster from "node:cluster";
import { rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { admissionConfig, laneOf, QUEUE_FULL_RETRY_AFTER, writeSlots, type AdmissionConfig } from "./admission";
import type { ServerCounters } from "../services/get-health";
import { ownedBy, warmUp, warmUpSeconds } from "./warm-up";
import { decide, microcacheConfig, microcacheKey, MicrocacheStore, storable, type MicrocacheConfig, type StoredAnswer } from "./microcache";

/** Headers of a stored answer that belong to its connection, not to the answer. */
const HOP_HEADERS = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length"]);

/** The header block Node sent (`res._header`), parsed: exact however Next set the headers. */
export function parseSentHeaders(block: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const line of block.split("\r\n").slice(1)) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    if (HOP_HEADERS.has(name)) continue;
    const value = line.slice(i + 1).trim();
    const prev = out[name];
    out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** The path of a request target, without its query. */
export const pathOf = (url: string | undefined): string => {
  const u = url ?? "/";
  const q = u.indexOf("?");
  return q < 0 ? u : u.slice(0, q);
};

/** The counters /api/v1/health reports (lib/services/get-health.ts). */
export type MicrocacheStats = ServerCounters;

export interface MicrocacheServer {
  handle(req: IncomingMessage, res: ServerResponse): void;
  stats(): MicrocacheStats;
}

/** How many reads and writes are handed on at once (null: no limit). */
export interface LaneLimits {
  reads: number | null;
  writes: number | null;
}
/** One process's limits: `maxConcurrent` reads and writeSlots(maxConcurrent) writes. */
export const laneLimits = (admission: AdmissionConfig): LaneLimits => ({
  reads: admission.maxConcurrent,
  writes: admission.maxConcurrent === null ? null : writeSlots(admission.maxConcurrent),
});

/**
 * Wraps a Node request handler with admission control and the microcache. `render` is Next's
 * handler, or under `npm start` the front's hand-off to a server process (lib/http/front.ts), or
 * any handler in the tests.
 */
export function withMicrocache(
  render: (req: IncomingMessage, res: ServerResponse) => unknown,
  config: MicrocacheConfig = microcacheConfig(),
  admission: AdmissionConfig = admissionConfig(),
  limits: LaneLimits = laneLimits(admission),
): MicrocacheServer {
  const store = new MicrocacheStore(config.maxBytes);
  const refreshing = new Map<string, number>();
  let inFlight = 0;
  let hits = 0;
  let renders = 0;

  function replay(req: IncomingMessage, res: ServerResponse, stored: StoredAnswer, now: number): void {
    hits++;
    res.writeHead(stored.status, {
      ...stored.headers,
      "content-length": String(stored.body.length),
      age: String(Math.floor((now - stored.renderedAt) / 1000)),
      "x-modcompat-cache": "hit",
    });
    res.end(req.method === "HEAD" ? undefined : stored.body);
  }

  function capture(res: ServerResponse, key: string, startedAt: number): void {
    refreshing.set(key, (refreshing.get(key) ?? 0) + 1);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    const collect = (chunk: unknown, encoding: unknown) => {
      if (tooBig || chunk === undefined || chunk === null || typeof chunk === "function") return;
      const b = typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array);
      size += b.length;
      if (size > config.maxEntryBytes) {
        tooBig = true;
        chunks.length = 0;
      } else chunks.push(b);
    };
    const write = res.write;
    const end = res.end;
    res.write = function (this: ServerResponse, chunk: unknown, encoding?: unknown, cb?: unknown) {
      collect(chunk, encoding);
      return (write as (...a: unknown[]) => boolean).call(this, chunk, encoding, cb);
    } as typeof res.write;
    res.end = function (this: ServerResponse, chunk?: unknown, encoding?: unknown, cb?: unknown) {
      collect(chunk, encoding);
      return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, encoding, cb);
    } as typeof res.end;
    res.once("finish", () => {
      const block = (res as unknown as { _header?: string })._header;
      if (tooBig || typeof block !== "string") return;
      const headers = parseSentHeaders(block);
      if (!storable(res.statusCode, headers, size, config)) return;
      store.set(key, { status: res.statusCode, headers, body: Buffer.concat(chunks), startedAt, renderedAt: Date.now() });
    });
    res.once("close", () => {
      const n = (refreshing.get(key) ?? 1) - 1;
      if (n <= 0) refreshing.delete(key);
      else refreshing.set(key, n);
      // the requests that waited for this render: its stored answer, or their own turn
      const waiting = joined.get(key);
      if (waiting) {
        joined.delete(key);
        joinedNow -= waiting.length;
        for (const w of waiting) admit(w);
      }
    });
  }

  interface Waiting {
    req: IncomingMessage;
    res: ServerResponse;
    key: string | null;
  }
  /** Requests of one kind waiting in arrival order, and how many of them are in Next. */
  interface Lane {
    max: number | null;
    queue: Waiting[];
    head: number;
    running: number;
  }
  const lane = (max: number | null): Lane => ({ max, queue: [], head: 0, running: 0 });
  // Reads and writes queue apart: an ingest never waits behind a backlog of page renders.
  const reads = lane(limits.reads);
  const writes = lane(limits.writes);
  let dropped = 0;
  let refused = 0;

  /** Requests waiting for the render of their URL that is already running, by key. */
  const joined = new Map<string, Waiting[]>();
  let joins = 0;
  let joinedNow = 0;

  /** Answers from the cache, or joins the running render of the URL, when the rules say so; true when it did. */
  function fromCache(w: Waiting): boolean {
    if (!w.key) return false;
    const now = Date.now();
    const stored = store.get(w.key);
    const decision = decide({ inFlight, stored, refreshing: refreshing.has(w.key), now, config });
    if (decision === "hit") replay(w.req, w.res, stored!, now);
    // at most maxQueue requests wait for running renders; past that they queue like any other (and meet its 503 when it is full)
    else if (decision === "join" && joinedNow < admission.maxQueue) {
      joins++;
      joinedNow++;
      const list = joined.get(w.key);
      if (list) list.push(w);
      else joined.set(w.key, [w]);
    } else return false;
    return true;
  }

  const free = (l: Lane) => l.max === null || l.running < l.max;

  function start(l: Lane, w: Waiting): void {
    l.running++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      l.running--;
      pump(l);
    };
    w.res.once("finish", release);
    w.res.once("close", release);
    // a HEAD answer has no body to store
    if (w.key && w.req.method === "GET") capture(w.res, w.key, Date.now());
    renders++;
    void render(w.req, w.res);
  }

  function gone(w: Waiting): boolean {
    return w.res.destroyed || w.req.socket.destroyed;
  }

  /** A request's way in: the cache, its render's answer, a free slot, or the queue of its lane. */
  function admit(w: Waiting): void {
    if (gone(w)) {
      dropped++;
      return;
    }
    if (fromCache(w)) return;
    const l = laneOf(w.req.method ?? "", pathOf(w.req.url)) === "reads" ? reads : writes;
    if (free(l)) {
      start(l, w);
      return;
    }
    if (l.queue.length - l.head >= admission.maxQueue) {
      refused++;
      w.res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": String(QUEUE_FULL_RETRY_AFTER), "cache-control": "no-store" });
      w.res.end(`503 Service Unavailable: the server is overloaded; retry in ${QUEUE_FULL_RETRY_AFTER} s\n`);
      return;
    }
    l.queue.push(w);
  }

  function pump(l: Lane): void {
    while (free(l) && l.head < l.queue.length) {
      const w = l.queue[l.head++];
      if (gone(w)) dropped++;
      else if (!fromCache(w)) start(l, w);
    }
    if (l.head > 1_024 && l.head * 2 > l.queue.length) {
      l.queue.splice(0, l.head);
      l.head = 0;
    }
  }

  return {
    handle(req, res) {
      // Next's own build assets are files: no limit, no cache
      if (req.url?.startsWith("/_next/static/")) {
        void render(req, res);
        return;
      }
      inFlight++;
      res.once("close", () => inFlight--);
      admit({ req, res, key: config.busyAt === null ? null : microcacheKey({ method: req.method ?? "", url: req.url ?? "", headers: req.headers }) });
    },
    stats: () => ({
      hits,
      joined: joins,
      renders,
      stored: store.size,
      storedBytes: store.storedBytes,
      running: reads.running + writes.running,
      waiting: reads.queue.length - reads.head + (writes.queue.length - writes.head) + joinedNow,
      dropped,
      refused,
    }),
  };
}

/** Messages between the launcher (the front) and a server process, over the cluster's IPC channel. */
export type LauncherMessage = { modcompat: "listening" } | { modcompat: "front-stats"; stats: ServerCounters };

/**
 * One server process of `npm start`: Next's production handler on a Unix socket that only the
 * front (lib/http/front.ts, in the launcher) connects to. Admission and the microcache are the
 * front's; their counters arrive from it for GET /api/v1/health.
 */
export async function startServer(opts: { dir: string; socketPath: string }): Promise<void> {
  // loaded here, not at the top: Next's server installs require hooks (its own React) in the process,
  // which the unit tests of withMicrocache must not get
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: opts.dir, hostname: "127.0.0.1", port: Number(process.env.PORT ?? 3000) });
  const handler = app.getRequestHandler();
  await app.prepare();
  let frontStats: ServerCounters | null = null;
  process.on("message", (m: LauncherMessage) => {
    if (m && m.modcompat === "front-stats") frontStats = m.stats;
  });
  // for GET /api/v1/health (Next bundles the route apart from this module; the process is shared)
  (globalThis as { __modcompatMicrocacheStats?: () => unknown }).__modcompatMicrocacheStats = () => frontStats ?? undefined;
  rmSync(opts.socketPath, { force: true });
  const http = createServer((req, res) => void handler(req, res));
  // Only the front connects here, and it keeps its connections for reuse: this side never closes an
  // idle one, or a request the front sends as it closes would meet a reset (for a write, a 502).
  http.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    // exclusive: this process listens itself, not through the cluster's shared handle
    http.listen({ path: opts.socketPath, exclusive: true }, () => resolve());
  });
  // A reader warms up before the front sends it anything (lib/http/warm-up.ts).
  const seconds = process.env.MODCOMPAT_ROLE === "reader" ? warmUpSeconds() : 0;
  if (seconds > 0) {
    // only what the front will send this reader (MODCOMPAT_UPSTREAM among MODCOMPAT_READERS, set by the launcher)
    const owns = ownedBy(process.env.MODCOMPAT_UPSTREAM, (process.env.MODCOMPAT_READERS ?? "").split(",").filter(Boolean));
    const r = await warmUp(opts.socketPath, seconds * 1000, { owns });
    console.log(
      `[modcompat] ${process.env.MODCOMPAT_ROLE} process ${process.pid} warmed up: ${r.requests} requests in ${(r.ms / 1000).toFixed(1)} s` +
        `${r.complete ? "" : " (the budget ran out first)"}${r.failed ? `, ${r.failed} not answered 2xx` : ""}`,
    );
  }
  process.send?.({ modcompat: "listening" } satisfies LauncherMessage);
  const stop = () => {
    http.close(() => process.exit(0));
    http.closeIdleConnections();
    // answers still streaming get a few seconds, then their connections are cut
    setTimeout(() => {
      http.closeAllConnections();
      process.exit(0);
    }, 5_000).unref();
  };
  process.once("SIGTERM", stop);
  // Ctrl-C reaches every process of the terminal's group: a server process leaves stopping to the
  // launcher (which sends SIGTERM), or the launcher would take its early exit for a crash and start another.
  if (cluster.isWorker) process.on("SIGINT", () => {});
  else process.once("SIGINT", stop);
}
