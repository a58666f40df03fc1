import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelsOf, ownedBy, seriesOf, slugsOf, warmUp, warmUpPaths, warmUpSeconds, WARMUP_DEFAULT_SECONDS, WARMUP_ROUTES } from "@/lib/http/warm-up";
import { isWarmUpRequest, WARM_UP_HEADER, warmUpToken } from "@/lib/http/warm-up-token";
import { localityKey, ownerOf } from "@/lib/http/locality";

describe("MODCOMPAT_WARMUP", () => {
  it.each([
    [undefined, WARMUP_DEFAULT_SECONDS],
    ["", WARMUP_DEFAULT_SECONDS],
    ["off", 0],
    ["0", 0],
    ["2.5", 2.5],
    ["300", 300],
  ])("%s → %s s", (text, seconds) => {
    expect(warmUpSeconds({ MODCOMPAT_WARMUP: text } as unknown as NodeJS.ProcessEnv)).toBe(seconds);
  });
  it.each(["-1", "301", "10s", "ten"])("refuses %s, naming the variable", (text) => {
    expect(() => warmUpSeconds({ MODCOMPAT_WARMUP: text } as unknown as NodeJS.ProcessEnv)).toThrow(/MODCOMPAT_WARMUP "/);
  });
});

describe("the paths a reader asks itself for", () => {
  it("every route kind first, then each module's page, history, matrix and a check on the newest kernel", () => {
    const paths = warmUpPaths(["zfs", "a b"], ["6.12.38+deb13-amd64"]);
    expect(paths.slice(0, WARMUP_ROUTES.length)).toEqual(WARMUP_ROUTES);
    expect(paths.slice(WARMUP_ROUTES.length)).toEqual([
      "/modules/zfs",
      "/modules/zfs/history",
      "/api/v1/modules/zfs/matrix",
      "/api/v1/check?kernel=6.12.38%2Bdeb13-amd64&module=zfs",
      "/check?kernel=6.12.38%2Bdeb13-amd64&module=zfs",
      "/modules/a%20b",
      "/modules/a%20b/history",
      "/api/v1/modules/a%20b/matrix",
      "/api/v1/check?kernel=6.12.38%2Bdeb13-amd64&module=a%20b",
      "/check?kernel=6.12.38%2Bdeb13-amd64&module=a%20b",
    ]);
  });
  it("then each module's page with one series expanded, newest series first for every module, then its check on each older kernel", () => {
    const paths = warmUpPaths(["zfs", "a b"], ["7.0", "6.1"], ["7.0", "6.1"]);
    expect(paths.slice(-6)).toEqual([
      "/modules/zfs?expand=7.0",
      "/modules/a%20b?expand=7.0",
      "/modules/zfs?expand=6.1",
      "/modules/a%20b?expand=6.1",
      "/api/v1/check?kernel=6.1&module=zfs",
      "/api/v1/check?kernel=6.1&module=a%20b",
    ]);
    expect(paths).toHaveLength(WARMUP_ROUTES.length + 2 * 5 + 4 + 2);
  });
  it("no check without a kernel; nothing but the routes without modules", () => {
    expect(warmUpPaths(["zfs"], [])).toEqual([...WARMUP_ROUTES, "/modules/zfs", "/modules/zfs/history", "/api/v1/modules/zfs/matrix"]);
    expect(warmUpPaths([], ["6.1"])).toEqual(WARMUP_ROUTES);
  });
  it("reads the module and kernel lists of the API, and tolerates anything else", () => {
    expect(slugsOf({ modules: [{ slug: "zfs" }, { slug: 3 }, null, { slug: "evdi" }] })).toEqual(["zfs", "evdi"]);
    expect(slugsOf(null)).toEqual([]);
    expect(slugsOf({ error: { code: "internal" } })).toEqual([]);
    expect(kernelsOf({ kernels: [{ version: "7.0" }, { version: 3 }, null, { version: "6.12" }] })).toEqual(["7.0", "6.12"]);
    expect(kernelsOf({ kernels: [] })).toEqual([]);
    expect(kernelsOf("x")).toEqual([]);
    expect(seriesOf({ kernels: [{ series: "7.0" }, { series: "6.12" }, { series: "7.0" }, { version: "x" }, null] })).toEqual(["7.0", "6.12"]);
    expect(seriesOf({ error: {} })).toEqual([]);
  });
});

describe("warmUp against a server on a Unix socket", () => {
  let dir = "";
  let socketPath = "";
  let server: Server;
  const seen: { path: string; token: boolean }[] = [];
  let delayMs = 0;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "warm-up-"));
    socketPath = path.join(dir, "s.sock");
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? "", token: req.headers[WARM_UP_HEADER] === warmUpToken() });
      setTimeout(() => {
        if (req.url === "/api/v1/modules") return res.end(JSON.stringify({ modules: [{ slug: "m1" }, { slug: "m2" }] }));
        if (req.url === "/api/v1/kernels") return res.end(JSON.stringify({ kernels: [{ version: "6.12", series: "6.12" }] }));
        res.statusCode = req.url === "/upcoming" ? 500 : 200;
        res.end("ok");
      }, delayMs);
    });
    await new Promise<void>((r) => server.listen(socketPath, r));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it("asks for every path once, with the process's token, and counts what was not 2xx", async () => {
    seen.length = 0;
    delayMs = 0;
    const r = await warmUp(socketPath, 10_000);
    const lists = ["/api/v1/modules", "/api/v1/kernels"];
    const expected = [...lists, ...warmUpPaths(["m1", "m2"], ["6.12"], ["6.12"]).filter((p) => !lists.includes(p))];
    expect(expected).toContain("/modules/m2?expand=6.12");
    expect(seen.map((s) => s.path).sort()).toEqual(expected.sort());
    expect(seen.every((s) => s.token)).toBe(true);
    expect(r).toMatchObject({ requests: expected.length, failed: 1, complete: true });
  });

  it("with two readers, each asks for its own modules' paths and for every path of no module", async () => {
    const readers = ["reader-1", "reader-2"];
    const all = warmUpPaths(["m1", "m2"], ["6.12"], ["6.12"]);
    // m1 and m2 have different owners here, so each reader's share is a real part of the list
    expect(ownerOf("module m1", readers)).not.toBe(ownerOf("module m2", readers));
    const asked = new Map<string, string[]>();
    for (const me of readers) {
      seen.length = 0;
      delayMs = 0;
      const r = await warmUp(socketPath, 10_000, { owns: ownedBy(me, readers) });
      expect(r.complete).toBe(true);
      asked.set(me, seen.map((x) => x.path));
    }
    for (const p of all) {
      const by = readers.filter((me) => asked.get(me)!.includes(p));
      expect(by, p).toEqual(localityKey(p) === null ? readers : [ownerOf(localityKey(p)!, readers)]);
    }
    expect(ownedBy("reader-1", ["reader-1"]), "a lone reader warms everything").toBeUndefined();
    expect(ownedBy(undefined, readers)).toBeUndefined();
  });

  it("stops starting requests when the budget is spent", async () => {
    seen.length = 0;
    delayMs = 60;
    const r = await warmUp(socketPath, 300);
    expect(r.complete).toBe(false);
    // the two lists, then two at a time for about 300 ms: far fewer than the 18 paths
    expect(r.requests).toBeLessThan(12);
    expect(r.requests).toBe(seen.length);
    expect(r.ms).toBeLessThan(1_000);
  });

  it("a server that is not there: every request fails, none hangs", async () => {
    const r = await warmUp(path.join(dir, "nobody.sock"), 2_000);
    expect(r.requests).toBe(WARMUP_ROUTES.length); // the two lists, then the other routes (no module known)
    expect(r.failed).toBe(r.requests);
  });

  it("no budget: nothing asked", async () => {
    expect(await warmUp(socketPath, 0)).toEqual({ requests: 0, failed: 0, ms: 0, complete: false });
  });
});

describe("the warm-up's pass through the rate limit", () => {
  it("only this process's token passes", () => {
    const token = warmUpToken();
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(warmUpToken()).toBe(token);
    expect(isWarmUpRequest(new Headers({ [WARM_UP_HEADER]: token }))).toBe(true);
    expect(isWarmUpRequest(new Headers({ [WARM_UP_HEADER]: token.replace(/.$/, (c) => (c === "0" ? "1" : "0")) }))).toBe(false);
    expect(isWarmUpRequest(new Headers({ [WARM_UP_HEADER]: "1" }))).toBe(false);
    expect(isWarmUpRequest(new Headers())).toBe(false);
  });
});
