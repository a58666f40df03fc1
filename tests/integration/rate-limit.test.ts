import { afterEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";
import { isExpensiveRead, limiters, parseRule, RateLimiter } from "@/lib/http/rate-limit";
import { expectError, ingestBody, newToken, postResults, result, uniqueTag } from "./helpers";

/** Issue 11, defect 8: failed authentication and expensive reads are limited per address, 429 + Retry-After. */
afterEach(() => {
  delete process.env.MODCOMPAT_RATE_LIMIT_EXPENSIVE;
  delete process.env.MODCOMPAT_RATE_LIMIT_AUTH_FAILURES;
  delete process.env.MODCOMPAT_RATE_LIMIT_AUTH_FAILURES_GLOBAL;
  for (const l of Object.values(limiters())) l.reset();
});

const get = (path: string, addr: string) => proxy(new NextRequest(new URL(path, "http://127.0.0.1:3000"), { headers: { "x-forwarded-for": addr } }));

describe("rules and buckets", () => {
  it("parses <count>/<seconds> and off", () => {
    expect(parseRule("120/60")).toEqual({ limit: 120, windowSeconds: 60 });
    expect(parseRule("off")).toBeNull();
    expect(() => parseRule("lots")).toThrow(/count>\/<seconds/);
  });

  it("a bucket refills evenly over its window", () => {
    const l = new RateLimiter(() => ({ limit: 2, windowSeconds: 10 }));
    expect([l.take("a", 0), l.take("a", 0), l.take("a", 0)]).toEqual([0, 0, 5]);
    expect(l.take("b", 0)).toBe(0);
    expect(l.take("a", 5_000)).toBe(0);
    expect(l.take("a", 5_000)).toBeGreaterThan(0);
  });

  it("what counts as expensive", () => {
    expect(isExpensiveRead("GET", "/modules/zfs")).toBe(true);
    expect(isExpensiveRead("GET", "/api/v1/modules/zfs/matrix")).toBe(true);
    expect(isExpensiveRead("GET", "/kernels/compare")).toBe(true);
    expect(isExpensiveRead("GET", "/api/v1/kernels/compare")).toBe(true);
    expect(isExpensiveRead("GET", "/api/v1/predict")).toBe(true);
    expect(isExpensiveRead("GET", "/predictions")).toBe(true);
    expect(isExpensiveRead("POST", "/api/v1/check")).toBe(true);
    expect(isExpensiveRead("GET", "/api/v1/regressions.atom")).toBe(true);
    expect(isExpensiveRead("GET", "/api/v1/health")).toBe(false);
    expect(isExpensiveRead("GET", "/_next/static/x.js")).toBe(false);
    expect(isExpensiveRead("POST", "/api/v1/results")).toBe(false);
  });
});

describe("expensive reads, through the proxy", () => {
  it("429 with Retry-After past the limit, per address; cheap routes unaffected", async () => {
    process.env.MODCOMPAT_RATE_LIMIT_EXPENSIVE = "3/60";
    const codes = [1, 2, 3, 4].map(() => get("/modules/zfs?expand=6.1", "10.0.0.1").status);
    expect(codes).toEqual([200, 200, 200, 429]);
    const res = get("/api/v1/modules/zfs/matrix", "10.0.0.1");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("too_many_requests");
    expect(res.headers.get("content-security-policy")).toBeTruthy();
    expect(get("/modules/zfs", "10.0.0.2").status).toBe(200);
    expect(get("/api/v1/health", "10.0.0.1").status).toBe(200);
  });

  it("off disables it", () => {
    process.env.MODCOMPAT_RATE_LIMIT_EXPENSIVE = "off";
    expect(Array.from({ length: 200 }, () => get("/modules/zfs", "10.0.0.3").status).every((s) => s === 200)).toBe(true);
  });
});

describe("failed authentication", () => {
  it("after the budget of failures an address gets 429 before its token is looked at", async () => {
    process.env.MODCOMPAT_RATE_LIMIT_AUTH_FAILURES = "3/300";
    const tag = uniqueTag();
    const good = await newToken(`rl-${tag}`);
    const body = ingestBody(`rl-${tag}`, "1", [result({ module: `rl-${tag}`, kernel: "6.1.0-1-amd64" })]);
    const headers = { "x-forwarded-for": "192.0.2.7" };
    for (let i = 0; i < 3; i++) await expectError(await postResults(body, { token: `mc_guess${i}`, headers }), 401, "unauthorized");
    const limited = await postResults(body, { token: "mc_guess4", headers });
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    await expectError(limited, 429, "too_many_requests");
    // The valid token from the same address waits too; another address is not affected.
    await expectError(await postResults(body, { token: good, headers }), 429, "too_many_requests");
    expect((await postResults(body, { token: good, headers: { "x-forwarded-for": "192.0.2.8" } })).status).toBe(201);
  });

  it("a global budget stops guessing from ever-changing (spoofed) addresses", async () => {
    process.env.MODCOMPAT_RATE_LIMIT_AUTH_FAILURES_GLOBAL = "5/300";
    const body = ingestBody("rl-global", "1", [result({ module: "rl-global", kernel: "6.1.0-1-amd64" })]);
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await postResults(body, { token: `mc_g${i}`, headers: { "x-forwarded-for": `198.51.100.${i}` } })).status);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});
