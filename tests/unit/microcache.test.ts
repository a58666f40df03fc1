import { describe, expect, it } from "vitest";
import { decide, MICROCACHE_DEFAULTS, microcacheConfig, microcacheKey, MicrocacheStore, storable } from "@/lib/http/microcache";
import { workerCount } from "@/lib/http/workers";
import { admissionConfig, writeSlots } from "@/lib/http/admission";
import { ruleFor } from "@/lib/http/rate-limit";

/** Issue 11 (capacity): the busy-server microcache's rules. */
const env = (e: Record<string, string | undefined>) => e as unknown as NodeJS.ProcessEnv;
const get = (url: string, headers: Record<string, string> = {}) => ({ method: "GET", url, headers: { "accept-encoding": "gzip", ...headers } });

describe("microcacheKey: what may be answered from the cache", () => {
  it.each([
    ["a public page", get("/modules/zfs?expand=6.1"), "GET /modules/zfs?expand=6.1\ngzip"],
    ["a public API read", get("/api/v1/modules"), "GET /api/v1/modules\ngzip"],
    ["HEAD shares GET's entry", { ...get("/"), method: "HEAD" }, "GET /\ngzip"],
    ["a POST", { ...get("/api/v1/check"), method: "POST" }, null],
    ["a request with a token", get("/api/v1/modules", { authorization: "Bearer x" }), null],
    ["a request with a cookie", get("/", { cookie: "a=b" }), null],
    ["a client-side navigation (RSC payload)", get("/modules/zfs", { rsc: "1" }), null],
    ["a prefetch", get("/modules/zfs", { "next-router-prefetch": "1" }), null],
    ["a segment prefetch", get("/modules/zfs", { "next-router-segment-prefetch": "/_tree" }), null],
    ["a server action", get("/", { "next-action": "abc" }), null],
    ["the health probe", get("/api/v1/health"), null],
    ["the health probe with a query", get("/api/v1/health?db=1"), null],
    ["a reporter's resume list", get("/api/v1/results/known?source=ci"), null],
    ["Next's own assets", get("/_next/static/chunks/a.js"), null],
    ["an absolute-form URL", get("http://evil/"), null],
  ])("%s", (_, req, key) => expect(microcacheKey(req)).toBe(key));

  it("keys differ by Accept-Encoding (the stored bytes are compressed for it)", () => {
    expect(microcacheKey(get("/", { "accept-encoding": "br" }))).not.toBe(microcacheKey(get("/")));
  });
});

describe("decide: only a busy server answers from the cache, and never older than maxAge", () => {
  const config = { ...MICROCACHE_DEFAULTS, busyAt: 16, maxAgeMs: 5_000 };
  const at = (renderedAt: number) => ({ renderedAt });
  it.each([
    ["not busy: always render", 15, at(0), false, 100, "render"],
    ["busy, nothing stored", 16, undefined, false, 100, "render"],
    ["busy, nothing stored, its render running: wait for that answer", 16, undefined, true, 100, "join"],
    ["not busy, its render running: render fresh", 15, undefined, true, 100, "render"],
    ["busy, fresh", 16, at(0), false, 2_500, "hit"],
    ["busy, past half its age and nobody refreshing: this request renders", 16, at(0), false, 2_501, "render"],
    ["busy, past half its age while another render runs", 40, at(0), true, 4_000, "hit"],
    ["busy, older than maxAge while another render runs: wait for that one", 40, at(0), true, 5_001, "join"],
    ["busy, older than maxAge and nobody rendering: render", 40, at(0), false, 5_001, "render"],
    ["busy, a stored answer from the future (clock step): render", 40, at(10_000), false, 100, "render"],
  ] as const)("%s", (_, inFlight, stored, refreshing, now, want) => {
    expect(decide({ inFlight, stored, refreshing, now, config })).toBe(want);
  });
  it("off: never a hit", () => {
    expect(decide({ inFlight: 1_000, stored: at(0), refreshing: true, now: 1, config: { ...config, busyAt: null } })).toBe("render");
  });
});

describe("storable", () => {
  it.each([
    [200, {}, 10, true],
    [404, {}, 10, false],
    [503, {}, 10, false],
    [200, { "set-cookie": "a=b" }, 10, false],
    [200, {}, MICROCACHE_DEFAULTS.maxEntryBytes + 1, false],
  ])("status %i, headers %j, %i bytes → %s", (status, headers, bytes, want) => {
    expect(storable(status, headers, bytes, MICROCACHE_DEFAULTS)).toBe(want);
  });
});

describe("MicrocacheStore", () => {
  const answer = (bytes: number, startedAt = 0) => ({ status: 200, headers: {}, body: Buffer.alloc(bytes), startedAt, renderedAt: startedAt + 500 });
  it("drops the least recently used entries past its byte budget", () => {
    const s = new MicrocacheStore(100);
    s.set("a", answer(40));
    s.set("b", answer(40));
    s.get("a"); // a is now the most recent
    s.set("c", answer(40));
    expect([s.get("a") !== undefined, s.get("b") !== undefined, s.get("c") !== undefined]).toEqual([true, false, true]);
    expect(s.storedBytes).toBe(80);
  });
  it("an older render finishing late does not replace a newer one", () => {
    const s = new MicrocacheStore(100);
    s.set("a", answer(10, 2_000));
    s.set("a", { ...answer(20, 1_000), renderedAt: 9_000 });
    expect(s.get("a")?.startedAt).toBe(2_000);
    expect(s.storedBytes).toBe(10);
  });
  it("never keeps an entry larger than the whole budget", () => {
    const s = new MicrocacheStore(100);
    s.set("a", answer(101));
    expect(s.size).toBe(0);
  });
});

describe("configuration", () => {
  it.each([
    [undefined, { busyAt: 16, maxAgeMs: 5_000 }],
    ["off", { busyAt: null, maxAgeMs: 5_000 }],
    ["4/2", { busyAt: 4, maxAgeMs: 2_000 }],
    ["1/0.5", { busyAt: 1, maxAgeMs: 500 }],
  ])("MODCOMPAT_MICROCACHE=%s", (text, want) => {
    expect(microcacheConfig(env({ MODCOMPAT_MICROCACHE: text }))).toMatchObject(want);
  });
  it.each(["lots", "0/5", "16/0", "16/61", "16"])("MODCOMPAT_MICROCACHE=%s is refused, naming the variable", (text) => {
    expect(() => microcacheConfig(env({ MODCOMPAT_MICROCACHE: text }))).toThrow(/MODCOMPAT_MICROCACHE.*busy requests/);
  });
  it.each([
    [undefined, 2, 2],
    ["auto", 16, 4],
    ["", 1, 1],
    ["3", 2, 3],
  ])("MODCOMPAT_WORKERS=%s on %i cores → %i processes", (text, cores, want) => {
    expect(workerCount(text, cores)).toBe(want);
  });
  it.each(["0", "65", "two", "1.5"])("MODCOMPAT_WORKERS=%s is refused", (text) => {
    expect(() => workerCount(text, 2)).toThrow(/MODCOMPAT_WORKERS.*1 to 64/);
  });
  it("each worker process keeps its share of a rate budget, at least 1", () => {
    expect(ruleFor("expensive", env({ MODCOMPAT_RATE_LIMIT_EXPENSIVE: "120/60", MODCOMPAT_WORKERS: "2" }))).toEqual({ limit: 60, windowSeconds: 60 });
    expect(ruleFor("authFailures", env({ MODCOMPAT_WORKERS: "4" }))).toEqual({ limit: 3, windowSeconds: 300 });
    expect(ruleFor("authFailures", env({ MODCOMPAT_RATE_LIMIT_AUTH_FAILURES: "1/60", MODCOMPAT_WORKERS: "4" }))).toEqual({ limit: 1, windowSeconds: 60 });
    expect(ruleFor("expensive", env({ MODCOMPAT_RATE_LIMIT_EXPENSIVE: "120/60" }))).toEqual({ limit: 120, windowSeconds: 60 });
    expect(ruleFor("expensive", env({ MODCOMPAT_RATE_LIMIT_EXPENSIVE: "off", MODCOMPAT_WORKERS: "2" }))).toBeNull();
  });
});

describe("admission configuration", () => {
  it.each([
    [undefined, { maxConcurrent: 2, maxQueue: 1_000 }],
    ["off", { maxConcurrent: null, maxQueue: 1_000 }],
    ["4", { maxConcurrent: 4, maxQueue: 1_000 }],
    ["2/50", { maxConcurrent: 2, maxQueue: 50 }],
  ])("MODCOMPAT_CONCURRENCY=%s", (text, want) => {
    expect(admissionConfig(env({ MODCOMPAT_CONCURRENCY: text }))).toEqual(want);
  });
  it.each(["0", "many", "4/0", "4/x"])("MODCOMPAT_CONCURRENCY=%s is refused, naming the variable", (text) => {
    expect(() => admissionConfig(env({ MODCOMPAT_CONCURRENCY: text }))).toThrow(/MODCOMPAT_CONCURRENCY.*concurrent/);
  });
});

describe("writeSlots", () => {
  it.each([
    [1, 4],
    [2, 8],
    [8, 32],
  ])("%i reads at once → %i writes at once", (reads, writes) => expect(writeSlots(reads)).toBe(writes));
});
