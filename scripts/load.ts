/**
 * `npm run load`: a bounded load generator for a running ModCompat (loopback only). N clients for
 * S seconds, each looping over a mix of pages, read APIs and small ingests; prints throughput,
 * p50/p95/p99 per endpoint, errors, and ingested results acknowledged versus stored.
 *
 *   LOAD_URL=http://127.0.0.1:3000 LOAD_CLIENTS=200 LOAD_SECONDS=60 npm run load
 *
 * Closed loop by default (each client sends its next request when its answer is in: the issue's
 * "200 concurrent clients"). LOAD_RATE=R instead sends R requests/s of the same mix at random
 * (Poisson) times whatever the answers, as independent users do, and times each request from the
 * moment it was due: the latency at a given rate, which a closed loop cannot show (its clients slow
 * down with the server). LOAD_CLIENTS then caps the requests outstanding; an arrival past the cap
 * counts as an error ("generator full").
 *
 * The requests go through node:http with keep-alive connections, asking for gzip like a browser and
 * not decompressing: the generator shares the machine with the server, so it should cost little.
 *
 * Start the server with MODCOMPAT_RATE_LIMIT_EXPENSIVE=off (all clients share one address).
 * LOAD_TOKEN gives a token; without it one is created in the app's database (as `token create`).
 * Each ingest posts 1–5 results on kernels nobody reported before (6.1.0-<n>-amd64, so about 50 new
 * kernels a second at this mix's rate: a stress on kernel creation that real reporters, who build
 * a known set of kernels, do not make); LOAD_KERNELS=known posts them on the server's known
 * kernels instead.
 * LOAD_WORST_CASE=1 first times the heaviest unauthenticated requests on a 5,032-kernel module
 * (with LOAD_SERVER_PID, the server process's CPU time per request too).
 * Exit 0 when there was no error (5xx, network error, timeout) and nothing acknowledged was lost.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";

const base = new URL(process.env.LOAD_URL ?? "http://127.0.0.1:3000");
const clients = Number(process.env.LOAD_CLIENTS ?? 200);
const seconds = Number(process.env.LOAD_SECONDS ?? 60);
const timeoutMs = Number(process.env.LOAD_TIMEOUT_MS ?? 30_000);
const rate = process.env.LOAD_RATE ? Number(process.env.LOAD_RATE) : null;
const knownKernels = process.env.LOAD_KERNELS === "known";
if (!["known", "new", undefined].includes(process.env.LOAD_KERNELS)) {
  console.error("load: LOAD_KERNELS must be new (the default) or known");
  process.exit(3);
}
if (base.protocol !== "http:" || !["127.0.0.1", "localhost", "[::1]"].includes(base.hostname)) {
  console.error(`load: refusing ${base.origin}: only loopback targets (127.0.0.1, localhost, [::1])`);
  process.exit(3);
}
if (!(clients >= 1 && clients <= 1000 && seconds >= 1 && seconds <= 600)) {
  console.error("load: LOAD_CLIENTS must be 1..1000 and LOAD_SECONDS 1..600");
  process.exit(3);
}
if (rate !== null && !(rate > 0 && rate <= 5000)) {
  console.error("load: LOAD_RATE must be 0 < requests/s ≤ 5000");
  process.exit(3);
}

const runTag = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
const url = (p: string) => new URL(p, base).toString();

async function getJson<T>(p: string): Promise<T> {
  const res = await fetch(url(p));
  if (!res.ok) throw new Error(`GET ${p}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

async function token(): Promise<string> {
  if (process.env.LOAD_TOKEN) return process.env.LOAD_TOKEN;
  const { withLocalDatabase } = await import("../lib/cli/local-db");
  const { createToken } = await import("../lib/services/tokens");
  let t = "";
  await withLocalDatabase(async () => {
    t = (await createToken(`load-${runTag}`)).token;
  });
  return t;
}

interface Sample {
  ms: number;
  status: number; // 0: network error or timeout
  /** when it was sent (or due), ms since the run began: the timeline's window */
  at?: number;
}
const samples = new Map<string, Sample[]>();
const record = (name: string, s: Sample) => (samples.get(name) ?? samples.set(name, []).get(name)!).push(s);

const agent = new Agent({ keepAlive: true, maxSockets: clients });

/** One request on a kept-alive connection; resolves with the status and the byte count (0: network error or timeout). */
function send(p: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve) => {
    const req = request(
      url(p),
      { agent, method: init?.method ?? "GET", headers: { "accept-encoding": "gzip", ...init?.headers }, timeout: timeoutMs },
      (res) => {
        let bytes = 0;
        res.on("data", (c: Buffer) => (bytes += c.length));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes }));
        res.on("error", () => resolve({ status: 0, bytes }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve({ status: 0, bytes: 0 }));
    req.end(init?.body);
  });
}

/** In open-loop mode (LOAD_RATE), when the request was due: its latency counts from then. */
let dueAt: number | null = null;

async function timed(name: string, p: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number } | null> {
  const t0 = dueAt ?? performance.now();
  const res = await send(p, init);
  record(name, { ms: performance.now() - t0, status: res.status, at: t0 - runStart });
  return res.status === 0 ? null : res;
}

const modules = (await getJson<{ slug: string }[] | { modules: { slug: string }[] }>("/api/v1/modules")) as unknown;
const slugs = (Array.isArray(modules) ? modules : (modules as { modules: { slug: string }[] }).modules).map((m) => m.slug).slice(0, 40);
if (slugs.length === 0) throw new Error("the server has no modules; load the demo first");
const kernelsJson = (await getJson<unknown>("/api/v1/kernels")) as { version: string; series?: string }[] | { kernels: { version: string; series?: string }[] };
const kernels = (Array.isArray(kernelsJson) ? kernelsJson : kernelsJson.kernels).map((k) => k.version);
const series = [...new Set(kernels.map((k) => /^\d+\.\d+/.exec(k)?.[0]).filter(Boolean))] as string[];
const secret = await token();

const pick = <T>(a: readonly T[]) => a[Math.floor(Math.random() * a.length)];
let ingestSeq = 0;
/** performance.now() when the timed run began (the worst case's requests come before it) */
let runStart = 0;
/** "source|module|version|kernel|arch" of every result the server acknowledged (201/200) */
const acknowledged = new Set<string>();

/** One request of the mix: 45 % pages, 35 % read API, 20 % ingest of 1–5 new results. */
async function one(client: number): Promise<void> {
  const r = Math.random();
  const slug = pick(slugs);
  if (r < 0.1) await timed("page /", "/");
  else if (r < 0.2) await timed("page /modules/[slug]", `/modules/${slug}`);
  else if (r < 0.27) await timed("page /modules/[slug]?expand", `/modules/${slug}?expand=${pick(series)}`);
  else if (r < 0.33) await timed("page /modules/[slug]/history", `/modules/${slug}/history`);
  else if (r < 0.39) await timed("page /check", `/check?kernel=${encodeURIComponent(pick(kernels))}&module=${slug}`);
  else if (r < 0.45) await timed("page /regressions", "/regressions");
  else if (r < 0.6) await timed("api matrix", `/api/v1/modules/${slug}/matrix`);
  else if (r < 0.72) await timed("api check", `/api/v1/check?kernel=${encodeURIComponent(pick(kernels))}&module=${slug}`);
  else if (r < 0.8) await timed("api modules", "/api/v1/modules");
  else {
    const n = 1 + Math.floor(Math.random() * 5);
    const id = ++ingestSeq;
    const mod = `load-${runTag}-m${id % 40}`;
    const results = Array.from({ length: n }, (_, i) => ({
      module: mod,
      moduleVersion: `1.${id % 7}`,
      kernel: knownKernels ? kernels[(id * 5 + i) % kernels.length] : `6.1.0-${id * 5 + i}-amd64`,
      arch: "x86_64",
      stage: "build",
      status: (id + i) % 4 ? "pass" : "fail",
      ...((id + i) % 4 ? {} : { errorLine: "implicit declaration of function 'strlcpy'" }),
    }));
    const body = { run: { source: `load-${runTag}-c${client}`, id: `r${id}` }, results };
    const res = await timed("ingest", "/api/v1/results", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify(body),
    });
    if (res && (res.status === 201 || res.status === 200)) for (const x of results) acknowledged.add(`${body.run.source}|${x.module}|${x.moduleVersion}|${x.kernel}|${x.arch}`);
  }
}

/**
 * LOAD_WORST_CASE=1: first build the campaign's worst module (38 versions × 5,032 kernels of one
 * series, 5,032 results) and time its heaviest unauthenticated requests one at a time.
 */
const cpuPerRequest: number[] = [];
/** CPU time (user + system) of the server process LOAD_SERVER_PID so far, from /proc; null if unknown. */
function serverCpuMs(): number | null {
  const pid = process.env.LOAD_SERVER_PID;
  if (!pid) return null;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = f.slice(f.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

if (process.env.LOAD_WORST_CASE === "1") {
  const slug = `worst-${runTag}`;
  const all = Array.from({ length: 5032 }, (_, i) => ({
    module: slug,
    moduleVersion: `0.${i % 38}`,
    kernel: `6.1.0-${900_000 + i}-amd64`,
    arch: "x86_64",
    stage: "build",
    status: i % 5 ? "pass" : "fail",
  }));
  const t = performance.now();
  for (let i = 0; i < all.length; i += 5000) {
    const res = await fetch(url("/api/v1/results"), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify({ run: { source: `worst-${runTag}`, id: `w${i}` }, results: all.slice(i, i + 5000) }),
    });
    if (res.status !== 201) throw new Error(`worst-case ingest: HTTP ${res.status} ${await res.text()}`);
  }
  console.log(`worst case: ${slug} with 38 versions × 5,032 kernels ingested in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  for (const p of [`/modules/${slug}?expand=6.1`, `/modules/${slug}`, `/api/v1/modules/${slug}/matrix`, `/api/v1/modules/${slug}/matrix?expand=6.1`, `/modules/${slug}/history`]) {
    const ms: number[] = [];
    let bytes = 0;
    let status = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const c0 = serverCpuMs();
      const res = await fetch(url(p), { signal: AbortSignal.timeout(120_000) });
      bytes = (await res.arrayBuffer()).byteLength;
      status = res.status;
      ms.push(performance.now() - t0);
      const c1 = serverCpuMs();
      if (c0 !== null && c1 !== null) cpuPerRequest.push(c1 - c0);
    }
    ms.sort((a, b) => a - b);
    const cpu = cpuPerRequest.length ? `, server CPU ${(cpuPerRequest.reduce((a, b) => a + b, 0) / cpuPerRequest.length).toFixed(0)} ms per request` : "";
    cpuPerRequest.length = 0;
    console.log(`worst case ${p}: HTTP ${status}, ${(bytes / 1024).toFixed(0)} KiB, median ${ms[2].toFixed(0)} ms, max ${ms[4].toFixed(0)} ms${cpu} (5 sequential requests)`);
  }
}

const cpu0 = process.cpuUsage();
const t0 = Date.now();
runStart = performance.now();
const deadline = t0 + seconds * 1000;
let generatorFull = 0;
if (rate === null) {
  console.log(`load: ${clients} clients × ${seconds} s, closed loop, against ${base.origin} (${slugs.length} modules, ${kernels.length} kernels; ingests on ${knownKernels ? "known" : "new"} kernels); run tag ${runTag}`);
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (Date.now() < deadline) await one(c);
    }),
  );
} else {
  console.log(`load: ${rate} requests/s (Poisson arrivals) × ${seconds} s, at most ${clients} outstanding, against ${base.origin} (${slugs.length} modules, ${kernels.length} kernels; ingests on ${knownKernels ? "known" : "new"} kernels); run tag ${runTag}`);
  // Arrival times drawn ahead; each request starts when due (or as soon as the event loop gets there,
  // its latency still counted from when it was due) and answers nobody: the next arrival does not wait.
  const running = new Set<Promise<void>>();
  let outstanding = 0;
  const start = performance.now();
  let due = start;
  let n = 0;
  while (due - start < seconds * 1000) {
    due += -Math.log(1 - Math.random()) * (1000 / rate);
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (outstanding >= clients) {
      generatorFull++;
      record("(generator full)", { ms: 0, status: 0 });
      continue;
    }
    outstanding++;
    dueAt = due;
    const client = n++ % clients;
    const pr: Promise<void> = one(client).finally(() => {
      outstanding--;
      running.delete(pr);
    });
    dueAt = null;
    running.add(pr);
  }
  await Promise.all(running);
}
const elapsed = (Date.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);

// Stored: every acknowledged result is a distinct combination in its client's source. A request
// that timed out on the client may still have been stored ("stored, not acknowledged"): that is
// fine; an acknowledged result that is not stored is a loss.
const stored = new Set<string>();
for (let c = 0; c < clients; c++) {
  const source = `load-${runTag}-c${c}`;
  const k = await getJson<{ known: { module: string; moduleVersion: string; kernel: string; arch: string }[] }>(`/api/v1/results/known?source=${source}`);
  for (const x of k.known) stored.add(`${source}|${x.module}|${x.moduleVersion}|${x.kernel}|${x.arch}`);
}
const lost = [...acknowledged].filter((k) => !stored.has(k)).length;

const q = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] : NaN);
let total = 0;
let errors = 0;
const rows: string[] = [];
for (const [name, ss] of [...samples.entries()].sort()) {
  const ms = ss.map((s) => s.ms).sort((a, b) => a - b);
  const err = ss.filter((s) => s.status === 0 || s.status >= 500).length;
  const other = ss.filter((s) => s.status >= 400 && s.status < 500).length;
  if (name !== "(generator full)") total += ss.length; // not sent: no request, only an error
  errors += err;
  rows.push(
    `${name.padEnd(30)} ${String(ss.length).padStart(7)} ${q(ms, 0.5).toFixed(0).padStart(7)} ${q(ms, 0.95).toFixed(0).padStart(7)} ${q(ms, 0.99).toFixed(0).padStart(7)} ${String(err).padStart(6)} ${String(other).padStart(5)}`,
  );
}
console.log(`${"endpoint".padEnd(30)} ${"n".padStart(7)} ${"p50 ms".padStart(7)} ${"p95 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"errors".padStart(6)} ${"4xx".padStart(5)}`);
for (const r of rows) console.log(r);
const pages = [...samples.entries()].filter(([n]) => n.startsWith("page")).flatMap(([, s]) => s.map((x) => x.ms)).sort((a, b) => a - b);
const ingest = (samples.get("ingest") ?? []).map((x) => x.ms).sort((a, b) => a - b);
console.log(
  `total ${total} requests in ${elapsed.toFixed(1)} s = ${(total / elapsed).toFixed(1)}/s; errors (5xx, network, timeout) ${errors}; ` +
    `all pages p95 ${q(pages, 0.95).toFixed(0)} ms; ingest p95 ${q(ingest, 0.95).toFixed(0)} ms; ` +
    `results acknowledged ${acknowledged.size}, stored ${stored.size}, acknowledged but not stored ${lost}, stored after a client timeout ${stored.size - (acknowledged.size - lost)}`,
);
// The run in windows of LOAD_WINDOW seconds (10): whether a figure is the steady state or a
// start that is slower (a new server warms its caches and its JIT in the first seconds).
const windowS = Number(process.env.LOAD_WINDOW ?? 10);
if (windowS > 0 && seconds > windowS) {
  const all = [...samples.entries()].filter(([n]) => n !== "(generator full)");
  const parts: string[] = [];
  for (let w = 0; w * windowS < seconds; w++) {
    const inWindow = (s: Sample) => s.at !== undefined && s.at >= w * windowS * 1000 && s.at < (w + 1) * windowS * 1000;
    const n = all.reduce((a, [, ss]) => a + ss.filter(inWindow).length, 0);
    const pw = all.filter(([name]) => name.startsWith("page")).flatMap(([, ss]) => ss.filter(inWindow).map((x) => x.ms)).sort((a, b) => a - b);
    parts.push(`${w * windowS}–${Math.min(seconds, (w + 1) * windowS)} s: ${(n / windowS).toFixed(0)}/s, pages p50 ${q(pw, 0.5).toFixed(0)} p95 ${q(pw, 0.95).toFixed(0)} ms`);
  }
  console.log(`by when sent: ${parts.join("; ")}`);
}
console.log(
  `the generator's own CPU: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s in ${elapsed.toFixed(1)} s (${((cpu.user + cpu.system) / 1e3 / Math.max(1, total)).toFixed(2)} ms per request)` +
    (generatorFull ? `; ${generatorFull} arrivals found ${clients} requests outstanding and were not sent` : ""),
);
process.exit(errors === 0 && lost === 0 ? 0 : 1);
