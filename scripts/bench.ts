/**
 * `npm run bench` (issue 14): ingest, matrix API and pre-upgrade check at scale, each beside the
 * reference it is judged by, measured in the same run, printed as one table:
 *
 *     figure | value | reference | ratio | goal | met | load average
 *
 * Starts a private embedded PostgreSQL (temp dir, free port), applies the migrations and seeds
 * synthetic results (lib/synthetic) through the real ingest (recordResults, its bulk unnest path)
 * in 20,000-result runs. Then:
 * - ingest over HTTP (the POST /api/v1/results route behind node:http) in 5,000-result batches of
 *   new results for existing modules, beside PostgreSQL's own rate: the same rows inserted with
 *   unnest in 5,000-row transactions into a copy of Result (its indexes and foreign keys);
 * - the matrix API of a module with 100 versions × 400 kernels (40,000 cells): full and compact
 *   answers, sizes, p95 uncached and cached, beside node-pg reading the rows each answer is built
 *   from (Cell for the full answer, VersionCellStates for the compact one);
 * - the check (service, route handler and HTTP, cold and warm) and, for one module over HTTP, Node
 *   CPU per request and the node-pg read of the version cell states it needs;
 * - the module page of that module from `next start` of the production build, when there is one
 *   (`.next/BUILD_ID`; BENCH_PAGE=0 skips it): server render p50/p95 and HTML size, collapsed and
 *   every series expanded, and the Next server's RSS after those requests;
 * - the RSS of this process, which serves the route handlers.
 *
 * Sizes: `--size 1m` (default; 48 modules × 20 versions × 260 kernels × 4 arches), `--size 10m`
 * (100 modules × 20 versions × 1,250 kernels × 4 arches: 10 M results, 2,000 versions),
 * `--quick` (about 100 k). Env: BENCH_REQUESTS (default 1000), BENCH_SEED (default 7),
 * BENCH_PROFILE=file.cpuprofile records a CPU profile of the check service timings,
 * BENCH_PROFILE_INGEST=file.cpuprofile one of the HTTP ingest batches (server and client: one process),
 * BENCH_HOLD=1 keeps the database up until interrupted, BENCH_DIR=path keeps the database there
 * and reuses it when it already holds the requested results.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { freePort, startEmbeddedPostgres } from "../lib/db/embedded";
import { migrateDeploy } from "../lib/db/migrate";

const arg = (name: string) => process.argv.includes(name);
const argValue = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SIZE = arg("--quick") ? "quick" : (argValue("--size") ?? process.env.BENCH_SIZE ?? "1m");
const SHAPES: Record<string, { series: string[]; patches: number; modules: number }> = {
  quick: { series: ["5.15", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "6.11", "6.12"], patches: 20, modules: 5 },
  "1m": { series: ["5.15", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "6.11", "6.12"], patches: 20, modules: 48 },
  "10m": { series: Array.from({ length: 25 }, (_, i) => `5.${i}`), patches: 50, modules: 100 },
};
if (!SHAPES[SIZE]) throw new Error(`--size must be one of ${Object.keys(SHAPES).join(", ")}`);
const { series: SERIES, patches: PATCHES, modules: MODULES } = SHAPES[SIZE];
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const SEED = Number(process.env.BENCH_SEED ?? 7);
const ARCHES = ["x86_64", "aarch64", "ppc64le", "s390x"];
const VERSIONS = 20;
const INGEST_BATCHES = Number(process.env.BENCH_INGEST_BATCHES ?? 12);
const MATRIX_MODULE = "bench-matrix";
const MATRIX_SERIES = Array.from({ length: 20 }, (_, i) => `4.${i}`);

type Stats = { p50: number; p95: number; p99: number; max: number; mean: number };
function percentiles(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

const fmt = (n: number) => `${n.toFixed(2)} ms`;
const line = (label: string, p: Stats & { nodeCpu: number }) =>
  console.log(
    `${label.padEnd(28)} p50 ${fmt(p.p50).padStart(9)}  p95 ${fmt(p.p95).padStart(9)}  p99 ${fmt(p.p99).padStart(9)}  max ${fmt(p.max).padStart(9)}  (Node CPU ${fmt(p.nodeCpu)}/request)`,
  );

/** One row of the closing table. `lower`: the goal is a ceiling (value ≤ goal), else a floor. */
interface Row {
  figure: string;
  value: string;
  reference: string;
  ratio: string;
  goal: string;
  met: "yes" | "no" | "—";
  load: string;
}
const rows: Row[] = [];
const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");
function row(figure: string, value: string, reference: string, ratio: string, goal: string, met: boolean | null) {
  rows.push({ figure, value, reference, ratio, goal, met: met === null ? "—" : met ? "yes" : "no", load: load() });
}
function printTable() {
  const head: Row = { figure: "figure", value: "value", reference: "reference", ratio: "ratio", goal: "goal", met: "—", load: "load average" };
  const cols = ["figure", "value", "reference", "ratio", "goal", "met", "load"] as const;
  const all = [head, ...rows];
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(...all.map((r) => r[c].length))])) as Record<(typeof cols)[number], number>;
  const fmtRow = (r: Row, isHead = false) => `| ${cols.map((c) => (isHead && c === "met" ? "met" : r[c]).padEnd(width[c])).join(" | ")} |`;
  console.log(fmtRow(head, true));
  console.log(`|${cols.map((c) => "-".repeat(width[c] + 2)).join("|")}|`);
  for (const r of rows) console.log(fmtRow(r));
}

async function main(): Promise<number> {
  const keep = process.env.BENCH_DIR ? path.resolve(process.env.BENCH_DIR) : null;
  const parent = keep ?? mkdtempSync(path.join(tmpdir(), "modcompat-bench-"));
  if (!keep) chmodSync(parent, 0o755);
  const port = await freePort();
  console.log(`[bench] size ${SIZE}; embedded PostgreSQL on 127.0.0.1:${port} in ${parent}${keep ? " (kept: BENCH_DIR)" : ""}`);
  const server = await startEmbeddedPostgres({ dir: path.join(parent, "data"), port, database: "bench", persistent: keep !== null });
  let httpServer: Server | null = null;
  let nextServer: { pid: number; origin: string; stop: () => void } | null = null;
  let nextRssAfterPages = 0;
  const raw = new pg.Pool({ connectionString: server.url, max: 2 });
  // raw.end() resolves before its clients' sockets have closed: PostgreSQL stopping right after
  // must not end the process with an unhandled idle-client error.
  raw.on("error", () => {});
  try {
    migrateDeploy(server.url);
    process.env.DATABASE_URL = server.url;
    // Imported after DATABASE_URL is set: the Prisma client is created on first use from it.
    const { db } = await import("../lib/db/client");
    const { recordResults } = await import("../lib/services/record-results");
    const { mulberry32, syntheticBodies, syntheticKernels } = await import("../lib/synthetic/generate");
    const { checkModules } = await import("../lib/services/check/check-modules");
    const { forgetCheckCache } = await import("../lib/services/check/check-cache");
    const { forgetMatrixCache } = await import("../lib/services/get-matrix-compact");
    const { createToken } = await import("../lib/services/tokens");
    const checkRoute = await import("../app/api/v1/check/route");
    const resultsRoute = await import("../app/api/v1/results/route");
    const matrixRoute = await import("../app/api/v1/modules/[slug]/matrix/route");

    // ---- seed (the real ingest, recordResults) ------------------------------------------------
    const expected = MODULES * VERSIONS * SERIES.length * PATCHES * ARCHES.length;
    const matrixResults = 100 * MATRIX_SERIES.length * 20;
    console.log(
      `[bench] seeding ${expected.toLocaleString("en")} results through recordResults: ${MODULES} modules × ${VERSIONS} versions × ${SERIES.length * PATCHES} kernels × ${ARCHES.length} arches, ` +
        `plus ${matrixResults.toLocaleString("en")} for ${MATRIX_MODULE} (100 versions × 400 kernels × 1 arch)`,
    );
    const t0 = performance.now();
    let stored = 0;
    // Only the seeded runs count: a kept database also holds the HTTP batches of earlier runs.
    const [already] = await db().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "Result" r JOIN "Run" u ON u.id = r."runId" WHERE u.source IN ('bench', 'bench-matrix')`;
    const reused = keep !== null && Number(already.n) === expected + matrixResults;
    if (reused) console.log(`[bench] BENCH_DIR already holds the results: seeding skipped`);
    else if (Number(already.n) > 0) throw new Error(`the database in ${parent} holds ${Number(already.n).toLocaleString("en")} results: remove it or choose another BENCH_DIR`);
    let nextReport = 0.1;
    const bodies = syntheticBodies({ seed: SEED, modules: MODULES, versionsPerModule: VERSIONS, series: SERIES, patchesPerSeries: PATCHES, arches: ARCHES, source: "bench", chunk: 20_000 });
    for (const body of reused ? [] : bodies) {
      stored += (await recordResults(body)).stored;
      if (stored / expected >= nextReport) {
        const sec = (performance.now() - t0) / 1000;
        console.log(`[bench]   ${stored.toLocaleString("en")} results stored (${Math.round((100 * stored) / expected)}%), ${sec.toFixed(0)} s, ${Math.round(stored / sec).toLocaleString("en")} results/s, load ${load()}`);
        nextReport += 0.1;
      }
    }
    const seedSeconds = (performance.now() - t0) / 1000;
    if (!reused) {
      row(`seed ${expected.toLocaleString("en")} results (recordResults, 20k runs)`, `${Math.round(stored / seedSeconds).toLocaleString("en")} results/s`, `${seedSeconds.toFixed(0)} s`, "—", "minutes", seedSeconds < 3600);
      const matrixBodies = syntheticBodies({ seed: SEED + 5, modules: 1, versionsPerModule: 100, series: MATRIX_SERIES, patchesPerSeries: 20, arches: ["x86_64"], source: "bench-matrix", chunk: 20_000 });
      for (const body of matrixBodies) await recordResults({ ...body, results: body.results.map((r) => ({ ...r, module: MATRIX_MODULE })) });
    }
    await raw.query("ANALYZE");
    const counts = (await raw.query(`SELECT (SELECT count(*) FROM "Result")::int AS results, (SELECT count(*) FROM "Cell")::int AS cells,
             (SELECT count(*) FROM "Kernel")::int AS kernels, (SELECT count(*) FROM "ModuleVersion")::int AS versions`)).rows[0];
    console.log(`[bench] ${reused ? "reused" : `seeded in ${seedSeconds.toFixed(1)} s`}: ${counts.results.toLocaleString("en")} results, ${counts.cells.toLocaleString("en")} cells, ${counts.kernels} kernels, ${counts.versions} module versions`);

    // ---- one HTTP server for the route handlers -------------------------------------------------
    // FLOOR_PATH answers a fixed JSON body of a one-module check's size through the same request and
    // response conversion, touching nothing else: what HTTP itself costs here, the floor under any
    // route's figure (set to a real check answer below, before it is timed).
    const FLOOR_PATH = "/bench-floor";
    let floorAnswer: unknown = {};
    const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
    httpServer = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
      const url = new URL(`http://127.0.0.1${req.url}`);
      const request = new Request(url, { method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
      const matrix = /^\/api\/v1\/modules\/([^/]+)\/matrix$/.exec(url.pathname);
      const response = url.pathname === FLOOR_PATH
        ? Response.json(floorAnswer)
        : matrix
        ? await matrixRoute.GET(request, ctx({ slug: decodeURIComponent(matrix[1]) }))
        : url.pathname === "/api/v1/results"
          ? await resultsRoute.POST(request, ctx())
          : await (req.method === "POST" ? checkRoute.POST : checkRoute.GET)(request, ctx());
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise<void>((resolve) => httpServer!.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;

    // ---- ingest over HTTP, beside PostgreSQL's own rate -------------------------------------------
    // New results for existing modules (their history grows), on kernels not seen yet.
    const ingestBodies = [
      ...syntheticBodies({ seed: SEED + 11, modules: MODULES, versionsPerModule: VERSIONS, series: ["7.1", "7.2", "7.3"], patchesPerSeries: 20, arches: ARCHES, source: "bench-http", chunk: 5000 }),
    ]
      .slice(0, INGEST_BATCHES)
      // A run id of its own per bench run, so a kept database (BENCH_DIR) takes the batches again.
      .map((b) => ({ ...b, run: { ...b.run, id: `${b.run.id}-${Date.now().toString(36)}` } }));
    const { token } = await createToken(`bench-${Date.now()}`, { admin: true });
    // Reference: the same rows, unnest into a copy of Result with its indexes and foreign keys, 5,000 per transaction.
    // A copy of a table as the schema has it: columns, indexes, and its foreign keys as the catalog lists them.
    const copyTable = async (table: string, copy: string) => {
      await raw.query(`DROP TABLE IF EXISTS "${copy}"; CREATE TABLE "${copy}" (LIKE "${table}" INCLUDING ALL)`);
      const keys = (await raw.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname`, [`"${table}"`])).rows;
      for (const { def } of keys) await raw.query(`ALTER TABLE "${copy}" ADD ${def}`);
      return keys.length;
    };
    const resultKeys = await copyTable("Result", "BenchResultCopy");
    // Reference 2, the least a result costs while reads keep a Cell per version × kernel × arch
    // (the check and the matrix read cells, never results): the same Result rows plus their Cell
    // rows, upserted into a copy of Cell with its indexes (the partial ones detection reads by
    // included) and foreign keys, in the same 5,000-row transactions.
    const cellKeys = await copyTable("Cell", "BenchCellCopy");
    console.log(`[bench] ingest references: copies of Result (${resultKeys} foreign keys) and Cell (${cellKeys} foreign keys), with their indexes`);
    const refRun = (await raw.query(`SELECT min(id) AS id FROM "Run"`)).rows[0].id as number;
    const INSERT_RESULT_COPY = `INSERT INTO "BenchResultCopy" ("runId","moduleVersionId","kernelId","arch","stage","status","durationMs","errorLine","compiler","finishedAt")
      SELECT $1, mv, k, a, st, s, d, el, NULL, (fa::timestamptz AT TIME ZONE 'UTC')::timestamp(3)
      FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[]) AS u(mv, k, a, st, s, d, el, fa)`;
    const allVersionIds = (await raw.query(`SELECT id FROM "ModuleVersion" ORDER BY id`)).rows.map((r) => r.id as number);
    const allKernelIds = (await raw.query(`SELECT id FROM "Kernel" ORDER BY id`)).rows.map((r) => r.id as number);
    let refMs = 0;
    let refRows = 0;
    let refCellMs = 0;
    let httpMs = 0;
    let httpRows = 0;
    const httpSamples: number[] = [];
    const ingestProfiler = process.env.BENCH_PROFILE_INGEST ? new (await import("node:inspector/promises")).Session() : null;
    if (ingestProfiler) {
      ingestProfiler.connect();
      await ingestProfiler.post("Profiler.enable");
      await ingestProfiler.post("Profiler.start");
    }
    for (const [i, body] of ingestBodies.entries()) {
      // alternate, so both see the same machine load
      const rs = body.results;
      // The batch's rows for the references, on existing versions and kernels (`shift` moves them).
      const copyParams = (shift: number) => [
        refRun,
        rs.map((_, j) => allVersionIds[(i * 5000 + j + shift) % allVersionIds.length]),
        rs.map((_, j) => allKernelIds[(i * 7919 + j + shift) % allKernelIds.length]),
        rs.map((r) => r.arch),
        rs.map((r) => r.stage),
        rs.map((r) => r.status),
        rs.map((r) => r.durationMs ?? null),
        rs.map((r) => (r.status === "pass" ? null : (r.errorLine ?? null))),
        rs.map((r) => r.finishedAt ?? body.run.startedAt!),
      ];
      const c = await raw.connect();
      const s0 = performance.now();
      try {
      await c.query("BEGIN");
      await c.query(INSERT_RESULT_COPY, copyParams(0));
      await c.query("COMMIT");
      } finally {
        c.release();
      }
      refMs += performance.now() - s0;
      refRows += rs.length;
      const c2 = await raw.connect();
      const s2 = performance.now();
      try {
        await c2.query("BEGIN");
        // One statement, as the ingest's own insert-and-fold is: no row travels to Node and back.
        // The rows are shifted by one version and kernel, so they are not the first reference's.
        await c2.query(
          `WITH r AS (
             ${INSERT_RESULT_COPY}
             RETURNING id, "moduleVersionId", "kernelId", arch, stage, status, "errorLine", "finishedAt")
           INSERT INTO "BenchCellCopy" ("moduleVersionId","kernelId","arch","moduleId","status","stages","passCount","failCount","errorCount","skipCount",
             "lastResultId","lastResultAt","errorLine","observed","obsState","line","kernelKey","walked")
           SELECT r."moduleVersionId", r."kernelId", r.arch, v."moduleId", r.status, jsonb_build_object(r.stage, r.status),
             (r.status = 'pass')::int, (r.status = 'fail')::int, (r.status = 'error')::int, (r.status = 'skip')::int,
             r.id, r."finishedAt", r."errorLine", true, CASE WHEN r.status IN ('pass', 'fail') THEN r.status END, k.line, k."sortKey", true
           FROM r JOIN "ModuleVersion" v ON v.id = r."moduleVersionId" JOIN "Kernel" k ON k.id = r."kernelId"
           ON CONFLICT ("moduleVersionId", "kernelId", arch) DO UPDATE SET status = EXCLUDED.status, "lastResultId" = EXCLUDED."lastResultId",
             "lastResultAt" = EXCLUDED."lastResultAt", "passCount" = "BenchCellCopy"."passCount" + EXCLUDED."passCount"`,
          copyParams(1),
        );
        await c2.query("COMMIT");
      } finally {
        c2.release();
      }
      refCellMs += performance.now() - s2;
      const s1 = performance.now();
      const res = await fetch(`${origin}/api/v1/results`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`ingest answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
      await res.arrayBuffer();
      const ms = performance.now() - s1;
      httpSamples.push(ms);
      httpMs += ms;
      httpRows += rs.length;
    }
    if (ingestProfiler) {
      const { profile } = await ingestProfiler.post("Profiler.stop");
      writeFileSync(process.env.BENCH_PROFILE_INGEST!, JSON.stringify(profile));
      console.log(`[bench] CPU profile of the HTTP ingest (with the reference inserts) written to ${process.env.BENCH_PROFILE_INGEST}`);
    }
    await raw.query(`DROP TABLE "BenchResultCopy"; DROP TABLE "BenchCellCopy"`);
    const httpRate = httpRows / (httpMs / 1000);
    const refRate = refRows / (refMs / 1000);
    const refCellRate = refRows / (refCellMs / 1000);
    console.log(`[bench] ingest over HTTP: ${ingestBodies.length} batches of 5,000, p50 ${fmt(percentiles(httpSamples).p50)}, p95 ${fmt(percentiles(httpSamples).p95)} per batch`);
    row("ingest over HTTP, 5,000-result batches", `${Math.round(httpRate).toLocaleString("en")} results/s`, `PG unnest ${Math.round(refRate).toLocaleString("en")} rows/s`, `${((100 * httpRate) / refRate).toFixed(1)} %`, "≥ 50 %", httpRate >= refRate / 2);
    row("ingest over HTTP, against Result + Cell rows", `${Math.round(httpRate).toLocaleString("en")} results/s`, `PG unnest Result + Cell ${Math.round(refCellRate).toLocaleString("en")} rows/s`, `${((100 * httpRate) / refCellRate).toFixed(1)} %`, "—", null);
    row("ingest batch p95 (5,000 results)", fmt(percentiles(httpSamples).p95), "—", "—", "—", null);

    // ---- matrix API, 100 versions × 400 kernels ------------------------------------------------
    const matrixModuleId = (await raw.query(`SELECT id FROM "Module" WHERE slug = $1`, [MATRIX_MODULE])).rows[0].id as number;
    const matrixVersions = (await raw.query(`SELECT id FROM "ModuleVersion" WHERE "moduleId" = $1`, [matrixModuleId])).rows.map((r) => r.id as number);
    const N = Math.max(20, Math.round(REQUESTS / 20));
    const timeIt = async (fn: () => Promise<unknown>, n: number, before?: () => void) => {
      for (let i = 0; i < 3; i++) {
        before?.();
        await fn();
      }
      const samples: number[] = [];
      const cpu = process.cpuUsage();
      for (let i = 0; i < n; i++) {
        before?.();
        const s = performance.now();
        await fn();
        samples.push(performance.now() - s);
      }
      const used = process.cpuUsage(cpu);
      return { ...percentiles(samples), nodeCpu: (used.user + used.system) / 1000 / n };
    };
    /** Each fn timed `n` times, one call of each in turn (after 3 rounds of warm-up); Node CPU per call of each. */
    const timeInterleaved = async (fns: { fn: () => Promise<unknown>; before?: () => void }[], n: number) => {
      const samples = fns.map(() => [] as number[]);
      const cpu = fns.map(() => 0);
      for (let i = -3; i < n; i++) {
        for (const [k, { fn, before }] of fns.entries()) {
          before?.();
          const c = process.cpuUsage();
          const s = performance.now();
          await fn();
          const ms = performance.now() - s;
          const used = process.cpuUsage(c);
          if (i < 0) continue;
          samples[k].push(ms);
          cpu[k] += (used.user + used.system) / 1000;
        }
      }
      return samples.map((x, k) => ({ ...percentiles(x), nodeCpu: cpu[k] / n }));
    };
    const get = async (url: string) => {
      const res = await fetch(url);
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      return res.arrayBuffer();
    };
    const sizeOf = async (url: string) => (await get(url)).byteLength;
    const matrixUrl = `${origin}/api/v1/modules/${MATRIX_MODULE}/matrix`;
    const sqlCells = await timeIt(() => raw.query(`SELECT "moduleVersionId", "kernelId", arch, status, "errorLine" FROM "Cell" WHERE "moduleId" = $1`, [matrixModuleId]), N);
    const full = await timeIt(() => get(matrixUrl), Math.max(5, Math.round(N / 4)));
    // The compact answer and its SQL reference side by side: one of each in turn, so a pause of
    // the machine or of this process's collector falls on both alike, and 4× the samples (its
    // p95 from 50 was the third-slowest request, and the ratio moved 1.2–2.1× between runs).
    const [sqlStates, compactCold, compactWarm] = await timeInterleaved(
      [
        { fn: () => raw.query(`SELECT "moduleVersionId", series, states FROM "VersionCellStates" WHERE "moduleVersionId" = ANY($1::int[])`, [matrixVersions]) },
        { fn: () => get(`${matrixUrl}?format=compact`), before: forgetMatrixCache },
        { fn: () => get(`${matrixUrl}?format=compact`) },
      ],
      4 * N,
    );
    const fullBytes = await sizeOf(matrixUrl);
    const compactBytes = await sizeOf(`${matrixUrl}?format=compact`);
    const expandedBytes = await sizeOf(`${matrixUrl}?format=compact&expand=${MATRIX_SERIES[MATRIX_SERIES.length - 1]}`);
    const allExpandedBytes = await sizeOf(`${matrixUrl}?format=compact&${MATRIX_SERIES.map((s) => `expand=${s}`).join("&")}`);
    line("matrix full, HTTP", full);
    line("matrix compact, HTTP uncached", compactCold);
    line("matrix compact, HTTP cached", compactWarm);
    line("SQL: Cell rows (node-pg)", sqlCells);
    line("SQL: states rows (node-pg)", sqlStates);
    const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
    row("matrix 100×400 full (format=full) p95", fmt(full.p95), `SQL Cell ${fmt(sqlCells.p95)}`, `${(full.p95 / sqlCells.p95).toFixed(1)}×`, "≤ 50 ms, ≤ 2×", full.p95 <= 50 && full.p95 <= 2 * sqlCells.p95);
    row("matrix 100×400 full size", kb(fullBytes), "—", "—", "≤ 300 KB", fullBytes <= 300 * 1024);
    row("matrix 100×400 compact p95, uncached", fmt(compactCold.p95), `SQL states ${fmt(sqlStates.p95)}`, `${(compactCold.p95 / sqlStates.p95).toFixed(1)}×`, "≤ 50 ms, ≤ 2×", compactCold.p95 <= 50 && compactCold.p95 <= 2 * sqlStates.p95);
    row("matrix 100×400 compact p50, uncached", fmt(compactCold.p50), `SQL states ${fmt(sqlStates.p50)}`, `${(compactCold.p50 / sqlStates.p50).toFixed(1)}×`, "—", null);
    row("matrix 100×400 compact p95, cached", fmt(compactWarm.p95), `SQL states ${fmt(sqlStates.p95)}`, `${(compactWarm.p95 / sqlStates.p95).toFixed(1)}×`, "≤ 50 ms, ≤ 2×", compactWarm.p95 <= 50 && compactWarm.p95 <= 2 * sqlStates.p95);
    row("matrix compact size, collapsed", kb(compactBytes), `full ${kb(fullBytes)}`, `${((100 * compactBytes) / fullBytes).toFixed(1)} %`, "≤ 300 KB", compactBytes <= 300 * 1024);
    row("matrix compact size, 1 series expanded", kb(expandedBytes), `all expanded ${kb(allExpandedBytes)}`, `${((100 * expandedBytes) / allExpandedBytes).toFixed(1)} %`, "on demand", expandedBytes < allExpandedBytes);

    // ---- the module page, 100 versions × 400 kernels (a production Next server) ----------------
    // Server render: the time to the last byte of GET /modules/bench-matrix from `next start` on
    // this database, collapsed and with every series expanded; needs a build (`npx next build`).
    if (process.env.BENCH_PAGE !== "0" && existsSync(path.resolve(".next", "BUILD_ID"))) {
      nextServer = await startNext(server.url);
      const pageUrl = `${nextServer.origin}/modules/${MATRIX_MODULE}`;
      const expandAll = `${pageUrl}?expand=${MATRIX_SERIES.join(",")}`;
      const pageN = Math.max(20, Math.round(N / 2));
      const pageCollapsed = await timeIt(() => get(pageUrl), pageN);
      const pageExpanded = await timeIt(() => get(expandAll), pageN);
      // The page keeps its decoded columns per data stamp and filters (lib/services/get-matrix-page.ts,
      // at most 4 entries): `from=3.0` … `from=3.9` filter nothing here (every series is newer) but
      // are 10 different keys, so each of these renders reads and decodes the columns again.
      let coldI = 0;
      const pageCold = await timeIt(() => get(`${pageUrl}?from=3.${coldI++ % 10}`), pageN);
      nextRssAfterPages = treeRssMb(nextServer.pid);
      const pageBytes = await sizeOf(pageUrl);
      const pageExpandedBytes = await sizeOf(expandAll);
      line("module page, collapsed", pageCollapsed);
      line("module page, all expanded", pageExpanded);
      line("module page, columns read anew", pageCold);
      row("matrix page 100×400 server render p50 / p95, collapsed", `${fmt(pageCollapsed.p50)} / ${fmt(pageCollapsed.p95)}`, `compact API ${fmt(compactCold.p95)}`, `${(pageCollapsed.p95 / compactCold.p95).toFixed(1)}×`, "p95 ≤ 150 ms", pageCollapsed.p95 <= 150);
      row("matrix page 100×400 server render p50 / p95, all expanded", `${fmt(pageExpanded.p50)} / ${fmt(pageExpanded.p95)}`, "—", "—", "p95 ≤ 150 ms", pageExpanded.p95 <= 150);
      row("matrix page 100×400 p50 / p95, collapsed, columns not kept", `${fmt(pageCold.p50)} / ${fmt(pageCold.p95)}`, "—", "—", "p95 ≤ 150 ms", pageCold.p95 <= 150);
      row("matrix page 100×400 HTML, collapsed", kb(pageBytes), "—", "—", "≤ 300 KB", pageBytes <= 300 * 1024);
      row("matrix page 100×400 HTML, all expanded", kb(pageExpandedBytes), "—", "—", "≤ 1 MB", pageExpandedBytes <= 1024 * 1024);
    } else {
      console.log("[bench] no production build (.next/BUILD_ID) or BENCH_PAGE=0: the module page is not measured");
    }

    // ---- check -----------------------------------------------------------------------------
    // What sysadmins send: 1–8 modules (a version each, as dkms status lists them), a target that
    // is mostly a known kernel and sometimes a newer, not yet seen one, usually one arch.
    const rnd = mulberry32(SEED + 1);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const kernels = syntheticKernels(SERIES, PATCHES);
    const versionOf = (v: number, m: number) => `${1 + Math.floor(v / 10)}.${v % 10}.${m % 3}`;
    type Req = { kernel: string; modules: string[]; arch?: string; dkms: boolean };
    const makeRequest = (maxModules = 8): Req => {
      const n = 1 + Math.floor(rnd() * maxModules);
      const mods = new Set<number>();
      while (mods.size < Math.min(n, MODULES)) mods.add(Math.floor(rnd() * MODULES));
      const known = rnd() < 0.8;
      const kernel = known ? pick(kernels) : `${pick(SERIES)}.${200 + Math.floor(rnd() * 50)}`;
      return {
        kernel,
        modules: [...mods].map((m) => `synthetic-mod-${m + 1}@${versionOf(Math.floor(rnd() * VERSIONS), m)}`),
        arch: rnd() < 0.75 ? "x86_64" : undefined,
        dkms: rnd() < 0.5,
      };
    };
    const dkmsText = (r: Req) => r.modules.map((m) => m.replace("@", "/") + `, 6.1.0-56-amd64, ${r.arch ?? "x86_64"}: installed`).join("\n");
    const requests = Array.from({ length: REQUESTS }, () => makeRequest());
    const warmup = Array.from({ length: 50 }, () => makeRequest());
    const oneModule = Array.from({ length: REQUESTS }, () => ({ ...makeRequest(1), dkms: false }));

    const service = (r: Req) =>
      r.dkms ? checkModules({ kernel: r.kernel, dkmsStatus: dkmsText(r), arch: r.arch }) : checkModules({ kernel: r.kernel, modules: r.modules, arch: r.arch });
    const checkQuery = (r: Req) => new URLSearchParams([["kernel", r.kernel], ...r.modules.map((m) => ["module", m]), ...(r.arch ? [["arch", r.arch]] : [])]);
    const handler = (r: Req) =>
      r.dkms
        ? checkRoute.POST(new Request(`${origin}/api/v1/check`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kernel: r.kernel, dkmsStatus: dkmsText(r), arch: r.arch }) }), ctx())
        : checkRoute.GET(new Request(`${origin}/api/v1/check?${checkQuery(r)}`), ctx());
    const overHttp = async (r: Req) => {
      const res = r.dkms
        ? await fetch(`${origin}/api/v1/check`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kernel: r.kernel, dkmsStatus: dkmsText(r), arch: r.arch }) })
        : await fetch(`${origin}/api/v1/check?${checkQuery(r)}`);
      if (res.status !== 200) throw new Error(`check answered ${res.status}: ${await res.text()}`);
      return res.json();
    };

    const buckets: Record<string, number[]> = {};
    const bucketOf = (r: Req) => `${r.modules.length <= 2 ? "1–2" : r.modules.length <= 5 ? "3–5" : "6–8"} modules, ${r.arch ? "one arch" : "all arches"}`;
    const time = async (fn: (r: Req) => Promise<unknown>, opts: { byBucket?: boolean; cold?: boolean; eachCold?: boolean; list?: Req[] } = {}) => {
      const list = opts.list ?? requests;
      for (const r of warmup) await fn(r);
      if (opts.cold) forgetCheckCache();
      const samples: number[] = [];
      const cpu = process.cpuUsage();
      for (const r of list) {
        if (opts.eachCold) forgetCheckCache();
        const s = performance.now();
        await fn(r);
        const ms = performance.now() - s;
        samples.push(ms);
        if (opts.byBucket) (buckets[bucketOf(r)] ??= []).push(ms);
      }
      const used = process.cpuUsage(cpu);
      return { ...percentiles(samples), nodeCpu: (used.user + used.system) / 1000 / list.length };
    };

    const verdicts: Record<string, number> = {};
    for (const r of requests.slice(0, 200)) for (const m of (await service(r)).modules) verdicts[m.verdict] = (verdicts[m.verdict] ?? 0) + 1;
    console.log(`[bench] verdict mix of the first 200 check requests: ${JSON.stringify(verdicts)}`);
    console.log(`[bench] ${REQUESTS} check requests each (after 50 warm-up), 1–8 modules, 80% known kernels, sequential; cold: the check cache forgotten first.`);
    const inspector = process.env.BENCH_PROFILE ? new (await import("node:inspector/promises")).Session() : null;
    if (inspector) {
      inspector.connect();
      await inspector.post("Profiler.enable");
      await inspector.post("Profiler.start");
    }
    const svc = await time(service, { byBucket: true, cold: true });
    line("check service, cold", svc);
    const printBuckets = () => {
      for (const [name, samples] of Object.entries(buckets).sort()) {
        const p = percentiles(samples);
        console.log(`  ${`${name} (${samples.length})`.padEnd(34)} p50 ${fmt(p.p50).padStart(9)}  p95 ${fmt(p.p95).padStart(9)}`);
      }
      for (const k of Object.keys(buckets)) delete buckets[k];
    };
    printBuckets();
    const warm = await time(service, { byBucket: true });
    line("check service, warm", warm);
    printBuckets();
    // "cold" above forgets the kept cells once, then the sequence fills the cache (400,000 cells):
    // at 10 M a version has 1,250 kernels instead of 260, so far fewer fit. Here every request
    // starts from nothing: what one check costs by itself.
    const eachCold = await time(service, { eachCold: true });
    line("check service, each request cold", eachCold);
    if (inspector) {
      const { profile } = await inspector.post("Profiler.stop");
      writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile));
      console.log(`[bench] CPU profile of the service timings written to ${process.env.BENCH_PROFILE}`);
    }
    line("check route handler, cold", await time(handler, { cold: true }));
    line("check route handler, warm", await time(handler));
    const httpCold = await time(overHttp, { cold: true });
    line("check HTTP, cold", httpCold);
    const httpWarm = await time(overHttp);
    line("check HTTP, warm", httpWarm);
    for (const r of oneModule) await overHttp(r); // warm: each of these versions asked about once before
    const one = await time(overHttp, { list: oneModule });
    line("check HTTP, 1 module, warm", one);
    // Minimal SQL of a one-module check: the version's cell states on the target's series.
    const sampleIds = (await raw.query(`SELECT id FROM "ModuleVersion" ORDER BY random() LIMIT 200`)).rows.map((r) => r.id as number);
    let si = 0;
    const sqlCheck = await timeIt(() => raw.query(`SELECT "moduleVersionId", series, states FROM "VersionCellStates" WHERE "moduleVersionId" = $1 AND series = $2`, [sampleIds[si++ % sampleIds.length], SERIES[si % SERIES.length]]), REQUESTS);
    line("SQL: one version's states row", sqlCheck);
    floorAnswer = await overHttp(oneModule[0]);
    const floor = await time(async () => {
      const res = await fetch(`${origin}${FLOOR_PATH}`);
      return res.json();
    }, { list: oneModule });
    line("HTTP floor: a fixed answer of a check's size", floor);
    row("check HTTP p95, 1 module, warm", fmt(one.p95), `SQL ${fmt(sqlCheck.p95)}`, `${(one.p95 / sqlCheck.p95).toFixed(1)}×`, "≤ 5 ms, ≤ 3×", one.p95 <= 5 && one.p95 <= 3 * sqlCheck.p95);
    row("check Node CPU per request, 1 module, warm", fmt(one.nodeCpu), "(bench process: client + server)", "—", "≤ 1 ms", one.nodeCpu <= 1);
    // The nearest a check over HTTP can come to its SQL here: the floor plus the SQL itself.
    row("HTTP floor p95 (fixed answer, no database)", fmt(floor.p95), `floor + SQL ${fmt(floor.p95 + sqlCheck.p95)}`, `${((floor.p95 + sqlCheck.p95) / sqlCheck.p95).toFixed(1)}× SQL`, "—", null);
    row("check HTTP p95, 1–8 modules, warm", fmt(httpWarm.p95), `cold ${fmt(httpCold.p95)}`, "—", "—", null);
    row("check service p95, 1–8 modules, cold / warm", `${fmt(svc.p95)} / ${fmt(warm.p95)}`, "—", "—", "≤ 20 ms (issue 5)", svc.p95 <= 20);
    row("check service p50 / p95, each request cold", `${fmt(eachCold.p50)} / ${fmt(eachCold.p95)}`, `Node CPU ${fmt(eachCold.nodeCpu)}`, "—", "—", null);

    if (nextServer) {
      const nextRss = treeRssMb(nextServer.pid);
      // Right after the page requests V8 has not yet given back the heap of the renders; after the
      // check timings (the server idle meanwhile) it has: the goal is the figure after the whole bench.
      row("RSS of the Next server right after the page requests", `${nextRssAfterPages.toFixed(0)} MB`, "next start, this database", "—", "—", null);
      row("RSS of the Next server after the whole bench", `${nextRss.toFixed(0)} MB`, "next start, this database", "—", "≤ 300 MB", nextRss <= 300);
    }
    const rss = process.memoryUsage().rss / 2 ** 20;
    // The same process after a full collection (what the servers' idle collection does when they
    // go quiet, lib/http/idle-gc.ts): what it holds, not what it has not yet collected.
    const { collectAllGarbage } = await import("../lib/http/idle-gc");
    await collectAllGarbage();
    const rssCollected = process.memoryUsage().rss / 2 ** 20;
    row("RSS of the bench process (serves the routes)", `${rss.toFixed(0)} MB`, "the route handlers in-process", "—", "—", null);
    row("… after a full collection", `${rssCollected.toFixed(0)} MB`, `heap in use ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`, "—", "—", null);
    await db().$disconnect();
    console.log("");
    console.log(
      `[bench] ${SIZE}: ${counts.results.toLocaleString("en")} results, ${counts.cells.toLocaleString("en")} cells, ${counts.kernels} kernels, ${counts.versions} module versions; load average now ${load()}`,
    );
    printTable();
    if (process.env.BENCH_HOLD === "1") {
      console.log(`[bench] BENCH_HOLD: the seeded database stays up at ${server.url} until SIGINT/SIGTERM`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
    }
    return 0;
  } finally {
    httpServer?.close();
    nextServer?.stop();
    await raw.end();
    await server.stop();
    if (!keep) rmSync(parent, { recursive: true, force: true });
  }
}

/** `next start` of the production build on a free port, against `databaseUrl`; resolves once it answers. */
async function startNext(databaseUrl: string): Promise<{ pid: number; origin: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "production", MODCOMPAT_RATE_LIMIT_EXPENSIVE: "off", MODCOMPAT_WEBHOOKS: "off", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const origin = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGTERM");
  };
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${origin}/api/v1/health`)).status < 500) return { pid: child.pid!, origin, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error("next start did not answer within 120 s");
}

/** Resident memory of a process and its descendants, in MB (Linux /proc). */
function treeRssMb(root: number): number {
  const parent = new Map<number, number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (tree.has(pid) || !tree.has(ppid)) continue;
      tree.add(pid);
      grew = true;
    }
  }
  let kb = 0;
  for (const pid of tree) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error("[bench] failed:", err);
    process.exit(1);
  },
);
