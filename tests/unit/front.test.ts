import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { laneOf } from "@/lib/http/admission";
import { AFFINITY_SLACK, forwarder, leastBusy, passOn, readerFor, upstreamFor, type Upstream, type Upstreams } from "@/lib/http/front";
import { localityKey, ownerOf } from "@/lib/http/locality";

/**
 * Issue 11 (capacity): `npm start`'s front hands writes to the writer process and reads to a
 * reader (the one of their module or check, unless it is much busier), byte for byte, over Unix
 * sockets. The server processes here are plain HTTP
 * servers that say who they are and echo what they got.
 */
const up = (name: string, inFlight = 0, ready = true): Upstream => ({ name, socketPath: `/nonexistent/${name}.sock`, ready, inFlight });

describe("which process answers a request", () => {
  it.each([
    ["GET", "/modules/zfs", "reads"],
    ["HEAD", "/", "reads"],
    ["POST", "/api/v1/check", "reads"],
    ["POST", "/api/v1/check/", "reads"],
    ["POST", "/api/v1/results", "writes"],
    ["POST", "/api/v1/import/junit", "writes"],
    ["PATCH", "/api/v1/webhooks/3", "writes"],
    ["DELETE", "/api/v1/webhooks/3", "writes"],
    ["POST", "/api/v1/checks", "writes"],
    ["OPTIONS", "/api/v1/check", "writes"],
  ] as const)("%s %s → %s", (method, pathname, lane) => {
    expect(laneOf(method, pathname)).toBe(lane);
  });

  it("reads go to the least busy ready reader, writes to the writer while it is up", () => {
    const readers = [up("r1", 3), up("r2", 1), up("r3", 0, false)];
    const writer = up("w", 5);
    const ups: Upstreams = { readers, writer };
    expect(upstreamFor("GET", "/", ups)?.name).toBe("r2");
    expect(upstreamFor("POST", "/api/v1/results", ups)?.name).toBe("w");
    expect(upstreamFor("POST", "/api/v1/check", ups)?.name).toBe("r2");
    writer.ready = false;
    expect(upstreamFor("POST", "/api/v1/results", ups)?.name, "writer down: a reader takes the write").toBe("r2");
    expect(upstreamFor("GET", "/", ups, readers[1])?.name, "a retry avoids the process that failed").toBe("r1");
    expect(upstreamFor("GET", "/", { readers: [up("x", 0, false)], writer: null })).toBeNull();
  });

  it.each([
    ["/modules/zfs", "module zfs"],
    ["/modules/zfs?expand=6.12", "module zfs"],
    ["/modules/zfs/history", "module zfs"],
    ["/api/v1/modules/zfs/matrix?format=compact", "module zfs"],
    ["/modules/a%2Fb", "module a/b"],
    ["/modules/%E0%A4%A", "module %E0%A4%A"],
    ["/check?kernel=6.12.1&module=zfs%402.2.4", "module zfs"],
    ["/api/v1/check?kernel=6.12.1&module=zfs&arch=aarch64", "module zfs"],
    ["/check?kernel=6.12.1&module=zfs%402.2.4&module=evdi%401.14", "check 6.12.1  evdi@1.14 zfs@2.2.4"],
    ["/api/v1/check?module=evdi%401.14&module=zfs%402.2.4&kernel=6.12.1", "check 6.12.1  evdi@1.14 zfs@2.2.4"],
    ["/api/v1/check?kernel=6.12.1&module=zfs&module=evdi&arch=aarch64", "check 6.12.1 aarch64 evdi zfs"],
    ["/check?dkms=zfs%2F2.2.4&kernel=6.12.1", "check dkms=zfs%2F2.2.4&kernel=6.12.1"],
    ["/regressions?page=2", null],
    ["/api/v1/health", null],
    ["/", null],
  ])("the locality of %s is %s", (target, key) => {
    expect(localityKey(target)).toBe(key);
  });

  it("a read goes to its key's reader unless that one is busier than the least busy by more than the slack", () => {
    const readers = [up("r1"), up("r2"), up("r3")];
    const own = readerFor("module zfs", readers)!;
    expect(readerFor("module zfs", readers), "the same reader every time").toBe(own);
    const keys = Array.from({ length: 30 }, (_, i) => `module m${i}`);
    expect(new Set(keys.map((k) => readerFor(k, readers)!.name)).size, "keys spread over the readers").toBe(3);
    own.inFlight = AFFINITY_SLACK;
    expect(readerFor("module zfs", readers)).toBe(own);
    own.inFlight = AFFINITY_SLACK + 1;
    expect(readerFor("module zfs", readers)).not.toBe(own);
    own.inFlight = 0;
    expect(readerFor("module zfs", readers, own), "a retry avoids the process that failed").not.toBe(own);
    // when a reader goes, only its keys move
    const before = new Map(keys.map((k) => [k, readerFor(k, readers)!.name]));
    readers[0].ready = false;
    for (const k of keys) if (before.get(k) !== "r1") expect(readerFor(k, readers)!.name).toBe(before.get(k));
    expect(ownerOf("module zfs", ["r2", "r3"])).toBe(readerFor("module zfs", readers)!.name);
  });

  it("equally busy readers take turns", () => {
    const readers = [up("r1"), up("r2")];
    const seen = new Set(Array.from({ length: 4 }, () => leastBusy(readers)?.name));
    expect(seen).toEqual(new Set(["r1", "r2"]));
  });

  it("hop-by-hop headers are not passed on", () => {
    expect(passOn(["Host", "x", "Connection", "keep-alive", "Keep-Alive", "timeout=5", "Transfer-Encoding", "chunked", "Expect", "100-continue", "Set-Cookie", "a=1", "Set-Cookie", "b=2"])).toEqual([
      "Host",
      "x",
      "Set-Cookie",
      "a=1",
      "Set-Cookie",
      "b=2",
    ]);
  });
});

describe("the front in front of real server processes", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "modcompat-front-test-"));
  const servers: Server[] = [];
  /** what each fake process last received */
  const got = new Map<string, { method: string; url: string; headers: IncomingMessage["headers"]; body: string }>();
  let closedEarly = 0;
  function serverProcess(name: string, behaviour: "echo" | "die" = "echo"): Upstream {
    const u: Upstream = { name, socketPath: path.join(dir, `${name}.sock`), ready: true, inFlight: 0 };
    const s = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (c: string) => (body += c));
      req.on("end", () => {
        got.set(name, { method: req.method!, url: req.url!, headers: req.headers, body });
        if (behaviour === "die") {
          req.socket.destroy();
          return;
        }
        if (req.url === "/slow") {
          res.on("close", () => {
            if (!res.writableFinished) closedEarly++;
          });
          res.write("started");
          return;
        }
        res.setHeader("set-cookie", ["a=1", "b=2"]);
        res.writeHead(req.url === "/teapot" ? 418 : 200, { "content-type": "text/plain", "x-process": name });
        res.write(`${name} `);
        res.end(`${req.method} ${req.url} ${body}`);
      });
    });
    servers.push(s);
    beforeAll(() => new Promise<void>((r) => s.listen(u.socketPath, r)));
    return u;
  }
  const r1 = serverProcess("reader-1");
  const r2 = serverProcess("reader-2");
  const writer = serverProcess("writer");
  const ups: Upstreams = { readers: [r1, r2], writer };
  const forward = forwarder(ups);
  const front = createServer((req, res) => forward(req, res));
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => front.listen(0, "127.0.0.1", r));
    port = (front.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => front.close(() => r()));
    front.closeAllConnections();
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  function send(p: string, method = "GET", body?: string, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; headers: IncomingMessage["headers"]; raw: string[]; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: p, method, headers, agent: false }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, raw: res.rawHeaders, body: text }));
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  it("an ingest goes to the writer with its body and headers; the answer comes back whole", async () => {
    const a = await send("/api/v1/results?x=1", "POST", '{"run":1}', { "content-type": "application/json", authorization: "Bearer t" });
    expect(a.status).toBe(200);
    expect(a.body).toBe('writer POST /api/v1/results?x=1 {"run":1}');
    expect(a.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    const w = got.get("writer")!;
    expect(w.headers.authorization).toBe("Bearer t");
    expect(w.headers["content-type"]).toBe("application/json");
    expect(w.headers["x-forwarded-for"], "the client's address, for the rate limits").toBe("127.0.0.1");
  });

  it("reads go to the readers, a module's to the same one when idle, with the status and the client's own X-Forwarded-For kept", async () => {
    const names = new Set<string>();
    for (let i = 0; i < 8; i++) names.add(String((await send(`/modules/m${i}`)).headers["x-process"]));
    expect(names).toEqual(new Set(["reader-1", "reader-2"]));
    const same = new Set<string>();
    for (let i = 0; i < 4; i++) same.add(String((await send("/modules/zfs")).headers["x-process"]));
    expect(same.size).toBe(1);
    const turns = new Set<string>();
    for (let i = 0; i < 4; i++) turns.add(String((await send("/regressions")).headers["x-process"]));
    expect(turns, "other reads take turns").toEqual(new Set(["reader-1", "reader-2"]));
    const t = await send("/teapot", "GET", undefined, { "x-forwarded-for": "203.0.113.9" });
    expect(t.status).toBe(418);
    const reader = got.get(String(t.headers["x-process"]))!;
    expect(reader.headers["x-forwarded-for"]).toBe("203.0.113.9");
    const check = await send("/api/v1/check", "POST", "{}", { "content-type": "application/json" });
    expect(check.headers["x-process"]).toMatch(/^reader-/);
  });

  it("a read whose process is gone is answered by another; with none ready the answer is 503", async () => {
    const dead: Upstream = { name: "dead", socketPath: path.join(dir, "dead.sock"), ready: true, inFlight: 0 };
    const f = forwarder({ readers: [dead, r2], writer: null });
    const s = createServer((req, res) => f(req, res));
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    try {
      const p = (s.address() as AddressInfo).port;
      for (let i = 0; i < 3; i++) {
        const a = await fetch(`http://127.0.0.1:${p}/modules/x`);
        expect(a.status).toBe(200);
        expect(a.headers.get("x-process")).toBe("reader-2");
      }
      // no writer: a reader takes the write
      const w = await fetch(`http://127.0.0.1:${p}/api/v1/results`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
      expect(w.status).toBe(200);
      expect(await w.text()).toBe("reader-2 POST /api/v1/results {}");
      r2.ready = false;
      const none = await fetch(`http://127.0.0.1:${p}/`);
      expect(none.status).toBe(503);
      expect(none.headers.get("retry-after")).toBe("1");
    } finally {
      r2.ready = true;
      await new Promise<void>((r) => s.close(() => r()));
    }
  });

  it("a write refused by its process goes to another; refused everywhere it is 503 'nothing was stored'; cut mid-request it is 502 'send it again'", async () => {
    const gone = (name: string): Upstream => ({ name, socketPath: path.join(dir, `${name}.sock`), ready: true, inFlight: 0 });
    const dying = serverProcess("dying", "die");
    await new Promise<void>((r) => servers.at(-1)!.listen(dying.socketPath, r));
    for (const [ups, status, text] of [
      [{ readers: [r1], writer: gone("gone-writer") }, 200, /^reader-1 POST \/api\/v1\/results \{"a":1\}$/],
      [{ readers: [gone("gone-reader")], writer: gone("gone-writer") }, 503, /nothing was stored/],
      [{ readers: [r1], writer: dying }, 502, /may or may not have been stored.*send it again/],
    ] as const) {
      const f = forwarder(ups);
      const s = createServer((req, res) => f(req, res));
      await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
      try {
        const a = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/api/v1/results`, { method: "POST", body: '{"a":1}', headers: { "content-type": "application/json" } });
        expect(a.status).toBe(status);
        expect(await a.text()).toMatch(text);
        for (const u of [...ups.readers, ups.writer]) expect(u.inFlight, `${u.name}: nothing left counted as in progress`).toBe(0);
      } finally {
        await new Promise<void>((r) => s.close(() => r()));
      }
    }
    expect(got.get("dying")?.body, "the dying process did get the body").toBe('{"a":1}');
  });

  it("a client that leaves closes its request in the server process (Next then stops rendering)", async () => {
    const before = closedEarly;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: "/slow", agent: false }, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", () => {});
      req.on("close", resolve);
      req.end();
      setTimeout(() => reject(new Error("no first byte")), 5_000);
    });
    await expect.poll(() => closedEarly, { timeout: 5_000 }).toBe(before + 1);
    await expect.poll(() => r1.inFlight + r2.inFlight, { timeout: 5_000 }).toBe(0);
  });
});
