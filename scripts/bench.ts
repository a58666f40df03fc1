/**
 * `npm run bench`: the pre-upgrade check at scale. Starts a private embedded PostgreSQL (temp dir,
 * free port), applies the migrations, stores ~1,000,000 synthetic results (lib/synthetic), then
 * times check requests three ways: the service function, the route handler in-process, and over a
 * real HTTP socket. Results that bring a new module version or kernel go through recordResults;
 * the others are bulk-inserted and their cells computed by the ingest's own recomputeCells
 * (BENCH_SEED_PATH=ingest sends everything through recordResults, at about 1,000 results/s).
 *
 * Budget (issue 5): p95 under 20 ms with a million stored results on a 2-core machine.
 * Env: BENCH_RESULTS (default 1000000), BENCH_REQUESTS (default 1000), BENCH_SEED (default 7),
 *      BENCH_SEED_PATH (bulk | ingest), BENCH_STRICT=1 exits 1 when the cold service p95 is over budget,
 *      BENCH_PROFILE=file.cpuprofile records a CPU profile of the service timings, BENCH_HOLD=1 keeps
 *      the seeded database up for inspection until the process is interrupted, BENCH_DIR=path keeps
 *      the database in that directory and reuses it when it already holds the requested results
 *      (for repeated runs while tuning; the default is a fresh temp directory, removed afterwards).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { freePort, startEmbeddedPostgres } from "../lib/db/embedded";
import { migrateDeploy } from "../lib/db/migrate";
import type { IngestBody } from "../lib/schemas/ingest";

const RESULTS = Number(process.env.BENCH_RESULTS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const SEED = Number(process.env.BENCH_SEED ?? 7);
const BUDGET_MS = 20;
/** "bulk" (default): see storeBulk; "ingest": every result through recordResults (about 1,000 results/s here). */
const SEED_PATH = process.env.BENCH_SEED_PATH === "ingest" ? "ingest" : "bulk";

// Shape of the synthetic data: 13 series × 20 kernels, 4 arches, 20 versions per module; the
// module count is what scales to the requested number of results (one result per cell, the
// worst case for the Cell table the check reads).
const SERIES = ["5.15", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "6.11", "6.12"];
const PATCHES = 20;
const ARCHES = ["x86_64", "aarch64", "ppc64le", "s390x"];
const VERSIONS = 20;
const MODULES = Math.max(1, Math.round(RESULTS / (SERIES.length * PATCHES * ARCHES.length * VERSIONS)));

function percentiles(samples: number[]): { p50: number; p95: number; p99: number; max: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

const fmt = (n: number) => `${n.toFixed(2)} ms`;
const line = (label: string, p: ReturnType<typeof percentiles> & { nodeCpu: number }) =>
  console.log(
    `${label.padEnd(28)} p50 ${fmt(p.p50).padStart(9)}  p95 ${fmt(p.p95).padStart(9)}  p99 ${fmt(p.p99).padStart(9)}  max ${fmt(p.max).padStart(9)}  (Node CPU ${fmt(p.nodeCpu)}/request)`,
  );

async function main(): Promise<number> {
  const keep = process.env.BENCH_DIR ? path.resolve(process.env.BENCH_DIR) : null;
  const parent = keep ?? mkdtempSync(path.join(tmpdir(), "modcompat-bench-"));
  if (!keep) chmodSync(parent, 0o755);
  const port = await freePort();
  console.log(`[bench] embedded PostgreSQL on 127.0.0.1:${port} in ${parent}${keep ? " (kept: BENCH_DIR)" : ""}`);
  const pg = await startEmbeddedPostgres({ dir: path.join(parent, "data"), port, database: "bench", persistent: keep !== null });
  let httpServer: Server | null = null;
  try {
    migrateDeploy(pg.url);
    process.env.DATABASE_URL = pg.url;
    // Imported after DATABASE_URL is set: the Prisma client is created on first use from it.
    const { db } = await import("../lib/db/client");
    const { recordResults } = await import("../lib/services/record-results");
    const { mulberry32, syntheticBodies, syntheticKernels } = await import("../lib/synthetic/generate");
    const { checkModules } = await import("../lib/services/check/check-modules");
    const { forgetCheckCache } = await import("../lib/services/check/check-cache");
    const { GET, POST } = await import("../app/api/v1/check/route");
    const { recomputeCells } = await import("../lib/services/recompute-cells");

    /**
     * The fast seeding path. Results that bring a new module version or kernel go through the real
     * ingest (recordResults), which creates those entities; the rest are inserted with one
     * statement per chunk and their cells computed by recomputeCells, the same code the ingest
     * uses, so the Cell table is what a million ingested results would leave.
     */
    const seenVersions = new Set<string>();
    const seenKernels = new Set<string>();
    const versionIds = new Map<string, number>();
    const kernelIds = new Map<string, number>();
    let bulkRun = 0;
    const storeBulk = async (body: IngestBody): Promise<number> => {
      const first: IngestBody["results"] = [];
      const rest: IngestBody["results"] = [];
      for (const r of body.results) {
        const v = `${r.module}@${r.moduleVersion}`;
        if (seenVersions.has(v) && seenKernels.has(r.kernel)) rest.push(r);
        else {
          first.push(r);
          seenVersions.add(v);
          seenKernels.add(r.kernel);
        }
      }
      if (first.length > 0) {
        await recordResults({ ...body, run: { ...body.run, id: `${body.run.id}-entities` }, results: first });
        const [vs, ks] = await Promise.all([
          db().$queryRaw<{ id: number; ref: string }[]>`SELECT mv.id, m.slug || '@' || mv.version AS ref FROM "ModuleVersion" mv JOIN "Module" m ON m.id = mv."moduleId"`,
          db().$queryRaw<{ id: number; version: string }[]>`SELECT id, version FROM "Kernel"`,
        ]);
        for (const v of vs) versionIds.set(v.ref, v.id);
        for (const k of ks) kernelIds.set(k.version, k.id);
      }
      if (rest.length === 0) return first.length;
      await db().$transaction(
        async (tx) => {
          const run = await tx.run.create({
            data: { source: "bench-bulk", externalId: `bulk-${++bulkRun}`, resultCount: rest.length, bodyHash: "bulk", summary: {}, meta: { synthetic: true } },
          });
          const mv = rest.map((r) => versionIds.get(`${r.module}@${r.moduleVersion}`)!);
          const k = rest.map((r) => kernelIds.get(r.kernel)!);
          await tx.$executeRaw`
            INSERT INTO "Result" ("runId","moduleVersionId","kernelId","arch","stage","status","durationMs","errorLine","finishedAt")
            SELECT ${run.id}, mv, k, a, st, s, d, el, (fa::timestamptz AT TIME ZONE 'UTC')::timestamp(3) FROM unnest(
              ${mv}::int[], ${k}::int[], ${rest.map((r) => r.arch)}::text[], ${rest.map((r) => r.stage)}::text[], ${rest.map((r) => r.status)}::text[],
              ${rest.map((r) => r.durationMs ?? null)}::int[], ${rest.map((r) => (r.status === "pass" ? null : (r.errorLine ?? null)))}::text[],
              ${rest.map((r) => r.finishedAt ?? body.run.startedAt!)}::text[]) AS u(mv, k, a, st, s, d, el, fa)`;
          await recomputeCells(tx, rest.map((r, i) => ({ moduleVersionId: mv[i], kernelId: k[i], arch: r.arch })));
        },
        { timeout: 300_000 },
      );
      return first.length + rest.length;
    };

    // ---- seed -------------------------------------------------------------------------------
    const expected = MODULES * VERSIONS * SERIES.length * PATCHES * ARCHES.length;
    console.log(
      `[bench] seeding ${expected.toLocaleString("en")} results (${SEED_PATH} path): ${MODULES} modules × ${VERSIONS} versions × ${SERIES.length * PATCHES} kernels × ${ARCHES.length} arches`,
    );
    const t0 = performance.now();
    let stored = 0;
    const [already] = await db().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "Result"`;
    if (keep && Number(already.n) === expected) {
      console.log(`[bench] BENCH_DIR already holds ${expected.toLocaleString("en")} results: seeding skipped`);
      stored = expected;
    } else if (Number(already.n) > 0) {
      throw new Error(`the database in ${parent} holds ${Number(already.n).toLocaleString("en")} results, not ${expected.toLocaleString("en")}: remove it or choose another BENCH_DIR`);
    }
    let nextReport = 0.1;
    const bodies = syntheticBodies({ seed: SEED, modules: MODULES, versionsPerModule: VERSIONS, series: SERIES, patchesPerSeries: PATCHES, arches: ARCHES, source: "bench", chunk: SEED_PATH === "ingest" ? 5000 : 20_000 });
    for (const body of stored === expected ? [] : bodies) {
      stored += SEED_PATH === "ingest" ? (await recordResults(body)).stored : await storeBulk(body);
      if (stored / expected >= nextReport) {
        const s = (performance.now() - t0) / 1000;
        console.log(`[bench]   ${stored.toLocaleString("en")} results stored (${Math.round((100 * stored) / expected)}%), ${s.toFixed(0)} s, ${Math.round(stored / s).toLocaleString("en")} results/s`);
        nextReport += 0.1;
      }
    }
    const reused = keep !== null && stored === expected && Number(already.n) === expected;
    const seedSeconds = (performance.now() - t0) / 1000;
    await db().$executeRawUnsafe("ANALYZE");
    const [counts] = await db().$queryRaw<{ results: bigint; cells: bigint; kernels: bigint; versions: bigint }[]>`
      SELECT (SELECT count(*) FROM "Result") AS results, (SELECT count(*) FROM "Cell") AS cells,
             (SELECT count(*) FROM "Kernel") AS kernels, (SELECT count(*) FROM "ModuleVersion") AS versions`;
    console.log(
      `[bench] ${reused ? "reused" : `seeded in ${seedSeconds.toFixed(1)} s`}: ${Number(counts.results).toLocaleString("en")} results, ${Number(counts.cells).toLocaleString("en")} cells, ` +
        `${counts.kernels} kernels, ${counts.versions} module versions`,
    );

    // ---- requests ---------------------------------------------------------------------------
    // What sysadmins send: 1–8 modules (a version each, as dkms status lists them), a target that
    // is mostly a known kernel and sometimes a newer, not yet seen one, usually one arch.
    const rnd = mulberry32(SEED + 1);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const kernels = syntheticKernels(SERIES, PATCHES);
    const versionOf = (v: number, m: number) => `${1 + Math.floor(v / 10)}.${v % 10}.${m % 3}`;
    type Req = { kernel: string; modules: string[]; arch?: string; dkms: boolean };
    const makeRequest = (): Req => {
      const n = 1 + Math.floor(rnd() * 8);
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
    const requests = Array.from({ length: REQUESTS }, makeRequest);
    const warmup = Array.from({ length: 50 }, makeRequest);

    const service = (r: Req) =>
      r.dkms ? checkModules({ kernel: r.kernel, dkmsStatus: dkmsText(r), arch: r.arch }) : checkModules({ kernel: r.kernel, modules: r.modules, arch: r.arch });
    const ctx = { params: Promise.resolve({}) };
    const handler = (r: Req, origin: string) =>
      r.dkms
        ? POST(new Request(`${origin}/api/v1/check`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kernel: r.kernel, dkmsStatus: dkmsText(r), arch: r.arch }) }), ctx)
        : GET(new Request(`${origin}/api/v1/check?${new URLSearchParams([["kernel", r.kernel], ...r.modules.map((m) => ["module", m]), ...(r.arch ? [["arch", r.arch]] : [])])}`), ctx);

    httpServer = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
      const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
      const response = await (req.method === "POST" ? POST : GET)(request, ctx);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise<void>((resolve) => httpServer!.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    const overHttp = async (r: Req) => {
      const res = r.dkms
        ? await fetch(`${origin}/api/v1/check`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kernel: r.kernel, dkmsStatus: dkmsText(r), arch: r.arch }) })
        : await fetch(`${origin}/api/v1/check?${new URLSearchParams([["kernel", r.kernel], ...r.modules.map((m) => ["module", m]), ...(r.arch ? [["arch", r.arch]] : [])])}`);
      if (res.status !== 200) throw new Error(`check answered ${res.status}: ${await res.text()}`);
      return res.json();
    };

    const buckets: Record<string, number[]> = {};
    const bucketOf = (r: Req) => `${r.modules.length <= 2 ? "1–2" : r.modules.length <= 5 ? "3–5" : "6–8"} modules, ${r.arch ? "one arch" : "all arches"}`;
    const time = async (fn: (r: Req) => Promise<unknown>, opts: { byBucket?: boolean; cold?: boolean } = {}) => {
      const byBucket = opts.byBucket ?? false;
      for (const r of warmup) await fn(r);
      if (opts.cold) forgetCheckCache();
      const samples: number[] = [];
      const cpu = process.cpuUsage();
      for (const r of requests) {
        const s = performance.now();
        await fn(r);
        const ms = performance.now() - s;
        samples.push(ms);
        if (byBucket) (buckets[bucketOf(r)] ??= []).push(ms);
      }
      const used = process.cpuUsage(cpu);
      return { ...percentiles(samples), nodeCpu: (used.user + used.system) / 1000 / requests.length };
    };

    const verdicts: Record<string, number> = {};
    for (const r of requests.slice(0, 200)) for (const m of (await service(r)).modules) verdicts[m.verdict] = (verdicts[m.verdict] ?? 0) + 1;
    console.log(`[bench] verdict mix of the first 200 requests: ${JSON.stringify(verdicts)}`);
    console.log(`[bench] ${REQUESTS} check requests each (after 50 warm-up), 1–8 modules, 80% known kernels, sequential.`);
    console.log("[bench] cold: every kept cell forgotten first, so each module version is read from the database the first time it is asked about;");
    console.log("[bench] warm: the same requests again, as when many machines ask about the same module versions between two ingests.");
    // BENCH_PROFILE=file.cpuprofile: a CPU profile of the service timings (open it in Chrome DevTools).
    const inspector = process.env.BENCH_PROFILE ? new (await import("node:inspector/promises")).Session() : null;
    if (inspector) {
      inspector.connect();
      await inspector.post("Profiler.enable");
      await inspector.post("Profiler.start");
    }
    const svc = await time(service, { byBucket: true, cold: true });
    line("service, cold", svc);
    const printBuckets = () => {
      for (const [name, samples] of Object.entries(buckets).sort()) {
        const p = percentiles(samples);
        console.log(`  ${`${name} (${samples.length})`.padEnd(34)} p50 ${fmt(p.p50).padStart(9)}  p95 ${fmt(p.p95).padStart(9)}`);
      }
      for (const k of Object.keys(buckets)) delete buckets[k];
    };
    printBuckets();
    const warm = await time(service, { byBucket: true });
    line("service, warm", warm);
    printBuckets();
    if (inspector) {
      const { profile } = await inspector.post("Profiler.stop");
      writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile));
      console.log(`[bench] CPU profile of the service timings written to ${process.env.BENCH_PROFILE}`);
    }
    line("route handler, cold", await time((r) => handler(r, origin), { cold: true }));
    line("route handler, warm", await time((r) => handler(r, origin)));
    line("HTTP (node:http+fetch), cold", await time(overHttp, { cold: true }));
    line("HTTP (node:http+fetch), warm", await time(overHttp));
    const ok = svc.p95 <= BUDGET_MS;
    console.log(
      `[bench] budget p95 ≤ ${BUDGET_MS} ms: cold ${ok ? "met" : "NOT met"} (${fmt(svc.p95)}), warm ${warm.p95 <= BUDGET_MS ? "met" : "NOT met"} (${fmt(warm.p95)}); ` +
        `${reused ? "seeding skipped (BENCH_DIR)" : `seeding took ${seedSeconds.toFixed(1)} s`}; load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(" ")}`,
    );
    await db().$disconnect();
    if (process.env.BENCH_HOLD === "1") {
      console.log(`[bench] BENCH_HOLD: the seeded database stays up at ${pg.url} until SIGINT/SIGTERM`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
    }
    return ok || process.env.BENCH_STRICT !== "1" ? 0 : 1;
  } finally {
    httpServer?.close();
    await pg.stop();
    if (!keep) rmSync(parent, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error("[bench] failed:", err);
    process.exit(1);
  },
);
