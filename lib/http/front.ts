/**
 * The front of `npm start` (issue 11, capacity). The launcher's own process listens on the public
 * port and hands every request to a server process over a Unix socket:
 * - writes (ingests, imports, webhook changes; laneOf in lib/http/admission.ts) to the writer
 *   process, so an ingest's transaction never waits for an event loop that a page render holds;
 * - reads of a module or a check to the reader that answered them before (localityKey), so that its
 *   per-process caches (a check's answer, a module's predictions, a kernel's API index) serve them
 *   again instead of each reader making its own; other reads, and those whose reader has more than
 *   AFFINITY_SLACK requests in progress beyond the least busy one, to the least busy reader.
 *
 * Admission control and the busy-server microcache (lib/http/serve.ts) run here, in a process that
 * renders nothing: a replayed answer or a 503 never waits behind a render either. So do Next's
 * build files (`/_next/static/…`, lib/http/static-files.ts), from memory. The server processes run
 * Next's handler and nothing else.
 *
 * When a reader dies, reads go to the others; when the writer is down, writes go to a reader. A
 * request whose connection was refused is tried once more on another process (it received
 * nothing), and so is a read that failed on the way. Requests are passed on byte for byte,
 * with `X-Forwarded-For` set to the client's address when the client did not send one (as Next
 * does for a direct connection), so the rate limits still see each client.
 */
import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import { laneOf, writeSlots, type AdmissionConfig } from "./admission";
import { microcacheConfig } from "./microcache";
import { localityKey, ownerOf } from "./locality";
import { pathOf, withMicrocache, type MicrocacheServer } from "./serve";
import { STATIC_PREFIX, staticFiles } from "./static-files";

/** One server process behind the front. */
export interface Upstream {
  name: string;
  socketPath: string;
  /** listening (the launcher sets it when the process says so, clears it when it exits) */
  ready: boolean;
  /** requests handed to it and not finished */
  inFlight: number;
}

export interface Upstreams {
  readers: readonly Upstream[];
  writer: Upstream | null;
}

/** Headers that belong to one connection, never passed on (RFC 9110 §7.6.1), and Expect (answered here). */
const HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "expect"]);

/** A flat raw header list ([name, value, name, value…]) without hop-by-hop headers. */
export function passOn(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (!HOP.has(raw[i].toLowerCase())) out.push(raw[i], raw[i + 1]);
  return out;
}

let turn = 0;
/** The ready upstream with the fewest requests in progress, taking turns among equals; `avoid` only when nothing else is ready. */
export function leastBusy(candidates: readonly Upstream[], avoid?: Upstream): Upstream | null {
  const ready = candidates.filter((u) => u.ready && u !== avoid);
  if (ready.length === 0) return null;
  turn = (turn + 1) % ready.length;
  let best: Upstream | null = null;
  for (let i = 0; i < ready.length; i++) {
    const u = ready[(turn + i) % ready.length];
    if (!best || u.inFlight < best.inFlight) best = u;
  }
  return best;
}

/** How many more requests in progress than the least busy reader a read's own reader may have. */
export const AFFINITY_SLACK = 1;

/**
 * The reader for a read with `key` (localityKey): the ready reader that owns the key (ownerOf),
 * unless it has more than AFFINITY_SLACK requests in progress beyond the least busy reader, or
 * the read has no key: then the least busy reader.
 */
export function readerFor(key: string | null, readers: readonly Upstream[], avoid?: Upstream): Upstream | null {
  const least = leastBusy(readers, avoid);
  if (!least || key === null) return least;
  const ready = readers.filter((u) => u.ready && u !== avoid);
  const name = ownerOf(key, ready.map((u) => u.name));
  const own = ready.find((u) => u.name === name)!;
  return own.inFlight <= least.inFlight + AFFINITY_SLACK ? own : least;
}

/** Where a request (method, path and query) goes: the writer for writes while it is up, else a reader (readerFor). */
export function upstreamFor(method: string, target: string, ups: Upstreams, avoid?: Upstream): Upstream | null {
  if (laneOf(method, pathOf(target)) === "writes" && ups.writer?.ready && ups.writer !== avoid) return ups.writer;
  return readerFor(localityKey(target), ups.readers, avoid);
}

const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 64 });

function refuse(res: ServerResponse, status: number, text: string, retryAfter?: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
    ...(retryAfter !== undefined ? { "retry-after": String(retryAfter) } : {}),
  });
  res.end(`${status} ${http.STATUS_CODES[status]}: ${text}\n`);
}

/**
 * Hands requests on to the server processes: the `render` of withMicrocache under `npm start`.
 * A request whose connection was refused, or a read that failed before its answer, is tried once
 * more on another process; a write that failed once sent never is, and its client learns whether
 * anything can have been stored.
 */
export function forwarder(ups: Upstreams): (req: IncomingMessage, res: ServerResponse) => void {
  return function forward(req, res, avoid?: Upstream): void {
    const method = req.method ?? "GET";
    const up = upstreamFor(method, req.url ?? "/", ups, avoid);
    if (!up) {
      refuse(res, 503, "no server process is ready (starting or restarting); retry in a second", 1);
      return;
    }
    up.inFlight++;
    let settled = false;
    const settle = () => {
      if (!settled) {
        settled = true;
        up.inFlight--;
      }
    };
    const headers: OutgoingHttpHeaders | string[] = passOn(req.rawHeaders);
    if (req.headers["x-forwarded-for"] === undefined && req.socket.remoteAddress) headers.push("X-Forwarded-For", req.socket.remoteAddress);
    const out = http.request({ socketPath: up.socketPath, method, path: req.url, headers, agent });
    let answered = false;
    out.on("response", (answer) => {
      answered = true;
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, passOn(answer.rawHeaders));
      answer.pipe(res);
      answer.on("error", () => res.destroy());
      answer.on("end", settle);
      answer.on("close", settle);
    });
    // The body is passed on only once the connection stands: a process that refused the connection
    // has received nothing, so any request, a write too, can go to another.
    let connected = false;
    out.on("socket", (socket) => {
      const go = () => {
        connected = true;
        if (req.readableEnded) out.end();
        else req.pipe(out);
      };
      if (socket.connecting) socket.once("connect", go);
      else go();
    });
    out.on("error", (err: NodeJS.ErrnoException) => {
      settle();
      if (answered || res.destroyed) {
        res.destroy();
        return;
      }
      const retry = !avoid && (!connected || (laneOf(method, pathOf(req.url)) === "reads" && method !== "POST"));
      if (retry) {
        forward(req, res, up);
        return;
      }
      if (!connected) refuse(res, 503, "the server process for this request is restarting; nothing was stored; retry in a second", 1);
      else refuse(res, 502, `the server process handling this request failed before answering (${err.code ?? "error"}); it may or may not have been stored: send it again (a run sent twice is recognised and stored once)`);
    });
    // the client left: stop the render (Next aborts request.signal when its connection closes)
    res.once("close", () => {
      if (!res.writableFinished) out.destroy();
      settle();
    });
  } as (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * Listen on the public port with admission control and the microcache in front of the server
 * processes. `perProcess` is one process's admission (MODCOMPAT_CONCURRENCY): the readers together
 * take that many reads each, the writer that process's writes.
 */
export async function startFront(opts: {
  hostname: string;
  port: number;
  upstreams: Upstreams;
  perProcess: AdmissionConfig;
  /** the build's `.next/static`, answered here (lib/http/static-files.ts) */
  staticDir?: string;
}): Promise<{ server: http.Server; front: MicrocacheServer }> {
  const per = opts.perProcess.maxConcurrent;
  const front = withMicrocache(forwarder(opts.upstreams), microcacheConfig(), opts.perProcess, {
    reads: per === null ? null : per * Math.max(1, opts.upstreams.readers.length),
    writes: per === null ? null : writeSlots(per),
  });
  const statics = opts.staticDir ? staticFiles(opts.staticDir) : null;
  const server = http.createServer((req, res) => {
    if (!statics || !(req.url ?? "").startsWith(STATIC_PREFIX)) return front.handle(req, res);
    // what it does not answer (a name the build does not have) goes on to Next, as before
    statics.handle(req, res).then(
      (done) => done || front.handle(req, res),
      () => front.handle(req, res),
    );
  });
  // the readers' own keep-alive is Next's default; the front's is the one clients see
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.hostname, () => resolve());
  });
  return { server, front };
}
