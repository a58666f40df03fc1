import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { expect, test } from "@playwright/test";

/**
 * Issue 11 (capacity), through the real `npm start`: a front on the port hands reads to reader
 * processes and writes to a writer process; a killed reader is replaced without a failed request,
 * an ingest is answered while every reader is stalled, and a busy server answers repeated public
 * reads from its microcache while an idle one always renders fresh.
 */
interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}
/** One request on its own connection. */
function get(baseURL: string, path: string, timeoutMs = 60_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseURL}${path}`, { agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${path}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}
interface HealthBody {
  app: { pid: number; role?: string; workers: number; microcache?: { hits: number } };
}
const health = async (baseURL: string) => JSON.parse((await get(baseURL, "/api/v1/health", 5_000)).body) as HealthBody;
/** The reader processes' pids, as their health answers name them. */
async function readerPids(baseURL: string): Promise<{ pids: number[]; workers: number }> {
  const pids = new Set<number>();
  let workers = 0;
  for (let i = 0; i < 20 && pids.size < 2; i++) {
    const h = await health(baseURL);
    expect(h.app.role, "reads are answered by reader processes").toBe("reader");
    pids.add(h.app.pid);
    workers = h.app.workers;
  }
  return { pids: [...pids], workers };
}
const niceOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
};
const newToken = (name: string) =>
  execFileSync("node", ["bin/modcompat.mjs", "token", "create", "--name", name], { env: { ...process.env, DATABASE_URL: process.env.MODCOMPAT_E2E_DATABASE_URL }, encoding: "utf8" })
    .trim()
    .split("\n")
    .at(-1)!;

test.describe.configure({ mode: "serial" });

test("npm start's readers take turns on one port, and one that dies is replaced without a failed request", async ({ baseURL }) => {
  const { pids, workers } = await readerPids(baseURL!);
  expect(workers, "playwright.config.ts starts the server with MODCOMPAT_WORKERS=2").toBe(2);
  expect(pids.length).toBe(2);
  // readers yield the CPU to the writer, the front and PostgreSQL (nice is field 19 of /proc/<pid>/stat)
  for (const pid of pids) expect(niceOf(pid), `reader ${pid}`).toBe(10);

  const [victim, survivor] = pids;
  process.kill(victim, "SIGKILL");
  // The front sends every request to the survivor meanwhile; a new process takes the victim's place.
  const seen = new Set<number>();
  const failures: string[] = [];
  await expect
    .poll(
      async () => {
        const h = await health(baseURL!).catch((e: Error) => {
          failures.push(e.message);
          return null;
        });
        if (h) seen.add(h.app.pid);
        return [...seen].some((p) => p !== victim && p !== survivor);
      },
      { timeout: 60_000, intervals: [200], message: "a new reader process answers" },
    )
    .toBe(true);
  expect(failures, "no request failed while a reader was replaced").toEqual([]);
  expect(seen.has(victim)).toBe(false);
  expect(seen.has(survivor)).toBe(true);
});

test("an ingest is answered by the writer process while every reader is stalled", async ({ baseURL }) => {
  const { pids } = await readerPids(baseURL!);
  const tag = randomUUID().slice(0, 8);
  const token = newToken(`e2e-writer-${tag}`);
  const body = JSON.stringify({
    run: { source: `e2e-writer-${tag}`, id: "r1" },
    results: [{ module: `e2ewriter${tag}`, moduleVersion: "1.0", kernel: "6.1.0-56-amd64", arch: "x86_64", stage: "build", status: "pass" }],
  });
  for (const pid of pids) process.kill(pid, "SIGSTOP");
  let status = 0;
  try {
    const res = await fetch(`${baseURL}/api/v1/results`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    status = res.status;
  } finally {
    for (const pid of pids) process.kill(pid, "SIGCONT");
  }
  expect(status, "stored while no reader could run").toBe(201);
  const known = await get(baseURL!, `/api/v1/results/known?source=e2e-writer-${tag}`);
  expect(known.body).toContain(`e2ewriter${tag}`);
});

test("a busy server replays recent public answers; an idle one renders what was just stored", async ({ baseURL, request }) => {
  for (let i = 0; i < 4; i++) expect((await get(baseURL!, "/regressions")).status).toBe(200);
  const t0 = Date.now();
  const burst = await Promise.all(Array.from({ length: 100 }, () => get(baseURL!, "/regressions")));
  console.log(`100 concurrent GET /regressions answered in ${Date.now() - t0} ms`);
  expect(burst.map((a) => a.status)).toEqual(burst.map(() => 200));
  const hits = burst.filter((a) => a.headers["x-modcompat-cache"] === "hit");
  expect(hits.length, "some answers of 100 concurrent requests come from the microcache").toBeGreaterThan(0);
  for (const a of hits) {
    expect(a.body).toContain("<h1");
    expect(a.body).toContain("Regressions");
    expect(Number(a.headers.age)).toBeLessThanOrEqual(5);
    expect(a.headers["content-security-policy"]).toMatch(/nonce-/);
  }

  // Idle again: a module stored a moment ago is in the module list at once.
  const tag = randomUUID().slice(0, 8);
  const token = newToken(`e2e-workers-${tag}`);
  const slug = `e2ework${tag}`;
  // the same URL answered before the module existed: an idle server must not replay that answer
  for (let i = 0; i < 4; i++) expect((await get(baseURL!, `/?q=${slug}`)).body).not.toContain(`href="/modules/${slug}"`);
  const res = await request.post("/api/v1/results", {
    headers: { authorization: `Bearer ${token}` },
    data: { run: { source: `e2e-workers-${tag}`, id: "r1" }, results: [{ module: slug, moduleVersion: "1.0", kernel: "6.1.0-56-amd64", arch: "x86_64", stage: "build", status: "pass" }] },
  });
  expect(res.status(), await res.text()).toBe(201);
  for (let i = 0; i < 4; i++) {
    const home = await get(baseURL!, `/?q=${slug}`);
    expect(home.headers["x-modcompat-cache"]).toBeUndefined();
    expect(home.body).toContain(`href="/modules/${slug}"`);
  }
});
