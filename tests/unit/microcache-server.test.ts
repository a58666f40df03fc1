import { randomBytes } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MICROCACHE_DEFAULTS } from "@/lib/http/microcache";
import { parseSentHeaders, withMicrocache, type MicrocacheServer } from "@/lib/http/serve";

/**
 * Issue 11 (capacity): the microcache around a real HTTP server. The handler stands in for Next:
 * it streams a gzip body in chunks with a fresh nonce per render, and counts its renders.
 */
let renders = 0;
let release: () => void = () => {};
let releaseSlow: () => void = () => {};
/** A promise and its resolve (Node 20 has no Promise.withResolvers). */
function deferred() {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
let slowStarted = deferred();
let holdSlow = false;
const server = withMicrocache(
  async (req, res) => {
    renders++;
    if (req.url?.startsWith("/slow")) {
      // the first render of a burst is held until the test lets it go; later ones answer at once
      if (holdSlow) {
        holdSlow = false;
        const go = new Promise<void>((r) => (releaseSlow = r));
        slowStarted.resolve();
        await go;
      }
      res.statusCode = req.url === "/slow-missing" ? 404 : 200;
      res.end(`slow ${renders}`);
      return;
    }
    if (req.url === "/hang") {
      await new Promise<void>((r) => (release = r));
      res.end("released");
      return;
    }
    if (req.url === "/missing") {
      res.statusCode = 404;
      res.end("no such page");
      return;
    }
    const nonce = `n${renders}`;
    res.setHeader("content-security-policy", `script-src 'nonce-${nonce}'`);
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.writeHead(200, { "content-encoding": "gzip", vary: "Accept-Encoding" });
    const body = gzipSync(`<html nonce="${nonce}">${req.url === "/big" ? randomBytes(400).toString("base64") : "page"}</html>`);
    res.write(body.subarray(0, 10));
    await new Promise((r) => setTimeout(r, 5));
    res.end(body.subarray(10));
  },
  { ...MICROCACHE_DEFAULTS, busyAt: 2, maxAgeMs: 60_000, maxEntryBytes: 200 },
);

/** Serves `front` on a loopback port for the enclosing suite; the port, once it listens. */
function onLoopback(front: MicrocacheServer): () => number {
  let http: Server;
  let port = 0;
  beforeAll(async () => {
    http = createServer((req, res) => front.handle(req, res));
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    port = (http.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => http.close(() => r())));
  return () => port;
}
const port = onLoopback(server);

function fetchRaw(path: string, method = "GET"): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: port(), path, method, headers: { "accept-encoding": "gzip" }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Runs `f` while another request is in flight, so the server counts as busy (busyAt 2). */
async function whileBusy<T>(f: () => Promise<T>): Promise<T> {
  const hanging = fetchRaw("/hang");
  const before = server.stats().renders;
  while (server.stats().renders === before) await new Promise((r) => setTimeout(r, 5));
  try {
    return await f();
  } finally {
    release();
    await hanging;
  }
}

describe("the microcache around a streaming, compressing handler", () => {
  it("a server that is not busy renders every request", async () => {
    const before = renders;
    const a = await fetchRaw("/page");
    const b = await fetchRaw("/page");
    expect(renders - before).toBe(2);
    expect(a.headers["x-modcompat-cache"]).toBeUndefined();
    expect(gunzipSync(a.body).toString()).not.toBe(gunzipSync(b.body).toString()); // two renders, two nonces
  });

  it("a busy server answers the last render's exact bytes and headers, with its age", async () => {
    const fresh = await fetchRaw("/page2");
    const hit = await whileBusy(async () => {
      const before = renders;
      const r = await fetchRaw("/page2");
      expect(renders).toBe(before);
      return r;
    });
    expect(hit.headers["x-modcompat-cache"]).toBe("hit");
    expect(hit.headers.age).toBe("0");
    expect(hit.body.equals(fresh.body)).toBe(true);
    expect(gunzipSync(hit.body).toString()).toMatch(/^<html nonce="n\d+">page<\/html>$/);
    expect(hit.headers["content-encoding"]).toBe("gzip");
    expect(hit.headers["content-security-policy"]).toBe(fresh.headers["content-security-policy"]);
    expect(hit.headers["content-length"]).toBe(String(fresh.body.length));
  });

  it("HEAD gets the stored headers without a body", async () => {
    await fetchRaw("/page3");
    const head = await whileBusy(() => fetchRaw("/page3", "HEAD"));
    expect(head.headers["x-modcompat-cache"]).toBe("hit");
    expect(head.body.length).toBe(0);
  });

  it("errors and oversized answers are never stored", async () => {
    await fetchRaw("/missing");
    await fetchRaw("/big");
    const [missing, big] = await whileBusy(() => Promise.all([fetchRaw("/missing"), fetchRaw("/big")]));
    expect(missing.status).toBe(404);
    expect(missing.headers["x-modcompat-cache"]).toBeUndefined();
    expect(big.headers["x-modcompat-cache"]).toBeUndefined();
  });
});

describe("collapsed forwarding: a busy server renders a URL once for the requests that wait for it", () => {
  /** Sends `n` requests for `path` while its first render is held, then lets it finish. */
  async function burst(path: string, n: number) {
    slowStarted = deferred();
    holdSlow = true;
    const before = { renders, joined: server.stats().joined };
    const first = fetchRaw(path);
    await slowStarted.promise;
    const rest = Array.from({ length: n - 1 }, () => fetchRaw(path));
    // the others are in: in flight, so the server counts as busy (busyAt 2)
    while (server.stats().joined - before.joined < n - 1 && renders - before.renders === 1) await new Promise((r) => setTimeout(r, 5));
    releaseSlow();
    const answers = await Promise.all([first, ...rest]);
    return { answers, renders: renders - before.renders, joined: server.stats().joined - before.joined };
  }

  it("requests that arrive while their URL renders get that render's answer", async () => {
    const { answers, renders: n, joined } = await burst("/slow", 4);
    expect(n).toBe(1);
    expect(joined).toBe(3);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.toString())).size).toBe(1);
    expect(answers.slice(1).map((a) => a.headers["x-modcompat-cache"])).toEqual(["hit", "hit", "hit"]);
  });

  it("when that answer cannot be stored (an error), each waiting request gets a render of its own", async () => {
    const { answers, renders: n } = await burst("/slow-missing", 3);
    expect(n).toBe(3);
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404]);
    expect(answers.map((a) => a.headers["x-modcompat-cache"])).toEqual([undefined, undefined, undefined]);
  });
});

describe("parseSentHeaders", () => {
  it("keeps the answer's headers, repeated ones as a list, and drops the connection's", () => {
    const block = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nLink: <a>\r\nLink: <b>\r\nDate: x\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n";
    expect(parseSentHeaders(block)).toEqual({ "content-type": "text/html", link: ["<a>", "<b>"] });
  });
});

describe("admission: one read (and four writes) in Next at a time, one read waiting", () => {
  let started: string[] = [];
  let releaseSlow: () => void = () => {};
  const front = withMicrocache(
    async (req, res) => {
      started.push(req.url ?? "");
      if (req.url === "/slow") await new Promise<void>((r) => (releaseSlow = r));
      res.end(`done ${req.url}`);
    },
    { ...MICROCACHE_DEFAULTS, busyAt: null },
    { maxConcurrent: 1, maxQueue: 1 },
  );
  const port2 = onLoopback(front);
  const send = (path: string, method = "GET") => {
    const req = httpRequest({ host: "127.0.0.1", port: port2(), path, method, agent: false });
    const answer = new Promise<{ status: number; body: string; retryAfter?: string }>((resolve, reject) => {
      req.on("response", (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, retryAfter: res.headers["retry-after"] as string | undefined }));
      });
      req.on("error", reject);
    });
    req.end();
    return { req, answer };
  };
  const until = async (f: () => boolean) => {
    while (!f()) await new Promise((r) => setTimeout(r, 5));
  };

  it("a waiting request runs when the one before it ends; past the queue, 503 with Retry-After", async () => {
    started = [];
    const slow = send("/slow");
    await until(() => started.length === 1);
    const waiting = send("/next");
    await until(() => front.stats().waiting === 1);
    const refused = await send("/third").answer;
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe("5");
    expect(refused.body).toMatch(/overloaded; retry in 5 s/);
    expect(started).toEqual(["/slow"]);
    releaseSlow();
    expect((await slow.answer).body).toBe("done /slow");
    expect((await waiting.answer).body).toBe("done /next");
    expect(started).toEqual(["/slow", "/next"]);
    expect(front.stats()).toMatchObject({ running: 0, waiting: 0, refused: 1 });
  });

  it("a write does not wait behind reads: it has slots of its own", async () => {
    started = [];
    const slow = send("/slow");
    await until(() => started.length === 1);
    const queuedRead = send("/read");
    await until(() => front.stats().waiting === 1);
    const write = await send("/ingest", "POST").answer;
    expect(write.body).toBe("done /ingest");
    expect(started).toEqual(["/slow", "/ingest"]);
    releaseSlow();
    await slow.answer;
    expect((await queuedRead.answer).body).toBe("done /read");
  });

  it("a waiting request whose client left is dropped without reaching the handler", async () => {
    started = [];
    const slow = send("/slow");
    await until(() => started.length === 1);
    const quitter = send("/quitter");
    quitter.answer.catch(() => {});
    await until(() => front.stats().waiting === 1);
    quitter.req.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const dropped = front.stats().dropped;
    releaseSlow();
    await slow.answer;
    await until(() => front.stats().waiting === 0);
    expect(started).toEqual(["/slow"]);
    expect(front.stats().dropped).toBe(dropped + 1);
  });
});
