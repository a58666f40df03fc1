import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as healthRoute } from "@/app/api/v1/health/route";
import { GET as listModulesRoute } from "@/app/api/v1/modules/route";
import { createPrisma, db, type Db } from "@/lib/db/client";
import { freePort, startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrateDeploy } from "@/lib/db/migrate";
import { livePostmasterPid, superviseEmbedded, type Supervisor } from "@/lib/db/supervise";
import { createToken } from "@/lib/services/tokens";
import { NextRequest } from "next/server";
import { refreshReachability } from "@/lib/db/reachability";
import { proxy } from "@/proxy";
import { get, ingestBody, postResults, result } from "./helpers";

/**
 * Issue 11, defect 5: kill -9 the PostgreSQL server under ingest. While it is down every request
 * answers 503 with Retry-After (not 500), pages too, and /api/v1/health says so; the supervisor starts it
 * again; the app reconnects by itself; every acknowledged batch is stored whole.
 * Runs on its own embedded server, swapped in as the process's client for the duration.
 */
const holder = globalThis as unknown as { __modcompatPrisma?: Db };
let parent: string;
let dir: string;
let supervisor: Supervisor;
let original: Db;
let token: string;
let originalUrl: string | undefined;
const logs: string[] = [];

beforeAll(async () => {
  parent = mkdtempSync(path.join(tmpdir(), "modcompat-dbkill-"));
  chmodSync(parent, 0o755);
  dir = path.join(parent, "data");
  const port = await freePort();
  const start = () => startEmbeddedPostgres({ dir, port, database: "kill" });
  const first = await start();
  migrateDeploy(first.url);
  // Slow enough that the test sees the outage (its checks of the down state took over 1.5 s on a
  // loaded machine, and found the server back), fast enough to keep the test short.
  supervisor = superviseEmbedded({ dir, first, start, log: (l) => logs.push(l), intervalMs: 5000 });
  original = db();
  originalUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = first.url;
  holder.__modcompatPrisma = createPrisma(first.url);
  token = (await createToken("dbkill")).token;
}, 180_000);

afterAll(async () => {
  await holder.__modcompatPrisma?.$disconnect().catch(() => {});
  holder.__modcompatPrisma = original;
  process.env.DATABASE_URL = originalUrl;
  await supervisor?.stop().catch(() => {});
  rmSync(parent, { recursive: true, force: true });
});

const batch = (i: number) =>
  ingestBody("dbkill", `run-${i}`, [0, 1, 2, 3, 4].map((k) => result({ module: `kill-${i % 3}`, moduleVersion: "1.0", kernel: `6.1.0-${100 + k}-amd64`, status: k % 2 ? "pass" : "fail" })));

describe("PostgreSQL killed under ingest", () => {
  it("503 + Retry-After while down, health says so, recovery without a restart of the app, nothing acknowledged lost", async () => {
    const acknowledged = new Set<number>();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await postResults(batch(i), { token });
      expect(res.status).toBe(201);
      acknowledged.add(i);
    }
    expect((await get(healthRoute, "/api/v1/health")).status).toBe(200);

    const pid = livePostmasterPid(dir)!;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGKILL");
    await new Promise((r) => setTimeout(r, 100));

    // Down: every kind of request answers 503 with Retry-After, never 500.
    const down = await postResults(batch(5), { token });
    expect(down.status, await down.clone().text()).toBe(503);
    expect(Number(down.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await down.json()) as { error: { code: string } };
    expect(body.error.code).toBe("unavailable");
    const read = await get(listModulesRoute, "/api/v1/modules");
    expect(read.status).toBe(503);
    const health = await get(healthRoute, "/api/v1/health");
    expect(health.status).toBe(503);
    // Pages: the proxy answers 503 as soon as a probe finds the server gone.
    expect(await refreshReachability()).toBe(false);
    const page = proxy(new NextRequest(new URL("/modules/x", "http://127.0.0.1:3000")));
    expect(page.status).toBe(503);
    expect(page.headers.get("retry-after")).toBe("5");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(((await health.json()) as { database: { ok: boolean } }).database.ok).toBe(false);

    // A client that retries the same run id until acknowledged, as `modcompat build --server` does.
    const deadline = Date.now() + 90_000;
    for (let i = 5; i < 15; i++) {
      for (;;) {
        const res = await postResults(batch(i), { token });
        statuses.push(res.status);
        expect(res.status, `run ${i}: ${await res.clone().text()}`).not.toBe(500);
        if (res.status === 201 || res.status === 200) {
          acknowledged.add(i);
          break;
        }
        expect(res.status).toBe(503);
        expect(Date.now(), "PostgreSQL came back within 90 s").toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    expect(supervisor.restarts()).toBeGreaterThanOrEqual(1);
    expect(logs.join("\n")).toMatch(/restarted/);
    expect((await get(healthRoute, "/api/v1/health")).status).toBe(200);
    expect(await refreshReachability()).toBe(true);
    expect(proxy(new NextRequest(new URL("/modules/x", "http://127.0.0.1:3000"))).status).toBe(200);

    // Nothing acknowledged was lost, nothing is partial.
    const runs = await db().run.findMany({ where: { source: "dbkill" }, include: { _count: { select: { results: true } } } });
    const stored = new Set(runs.map((r) => Number(r.externalId.slice(4))));
    expect([...acknowledged].filter((i) => !stored.has(i))).toEqual([]);
    expect(runs.every((r) => r._count.results === r.resultCount && r.resultCount === 5)).toBe(true);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
  }, 150_000);
});
