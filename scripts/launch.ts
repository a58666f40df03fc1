/**
 * `npm run dev` / `npm start` / `npm run db`: with no DATABASE_URL, start the embedded PostgreSQL
 * (data under .data/pg), apply migrations, load the demo into an empty database, then run Next.
 * With DATABASE_URL, use that server and start none. Ctrl-C stops Next, then Postgres, cleanly.
 * `start` serves the port from this process (lib/http/front.ts) and runs MODCOMPAT_WORKERS reader
 * processes (default: one per core, at most 4) and one writer process behind it.
 */
import { spawn } from "node:child_process";
import cluster, { type Worker } from "node:cluster";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, setPriority, tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { superviseEmbedded, type Supervisor } from "../lib/db/supervise";
import { migrateDeploy } from "../lib/db/migrate";
import { sendToProcess, workerCount } from "../lib/http/workers";
import { ADMISSION_DEFAULTS, admissionConfig, type AdmissionConfig } from "../lib/http/admission";
import { microcacheConfig } from "../lib/http/microcache";
import { warmUpSeconds } from "../lib/http/warm-up";
import { startFront, type Upstream } from "../lib/http/front";
import type { LauncherMessage } from "../lib/http/serve";

const mode = process.argv[2];
if (mode !== "dev" && mode !== "start" && mode !== "db") {
  console.error("usage: tsx scripts/launch.ts dev|start|db");
  process.exit(3);
}
const root = path.resolve(import.meta.dirname, "..");
const port = process.env.PORT ?? "3000";

let embedded: Supervisor | null = null;
if (!process.env.DATABASE_URL) {
  const pgPort = Number(process.env.MODCOMPAT_PG_PORT ?? 54329);
  const dir = path.resolve(root, process.env.MODCOMPAT_PG_DIR ?? ".data/pg");
  console.log(`[modcompat] starting embedded PostgreSQL on 127.0.0.1:${pgPort} (data: ${path.relative(root, dir) || dir})`);
  const start = () => startEmbeddedPostgres({ dir, port: pgPort, database: "modcompat", progress: (line) => console.log(`[modcompat] ${line}`) });
  const first = await start().catch((e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`[modcompat] ${message}`);
    if (/Address already in use/.test(message)) console.error(`[modcompat] another server uses port ${pgPort}: stop it, or choose another port with MODCOMPAT_PG_PORT`);
    process.exit(1);
  });
  // A crashed postmaster is started again (the app answers 503 meanwhile and reconnects after).
  embedded = superviseEmbedded({ dir, first, start, log: (line) => console.log(`[modcompat] ${line}`) });
  process.env.DATABASE_URL = first.url;
} else {
  console.log("[modcompat] using the database at DATABASE_URL");
}

let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (embedded) {
      console.log("[modcompat] stopping embedded PostgreSQL");
      await embedded.stop().catch((e: unknown) => console.error(e));
    }
  }
  process.exit(code);
}

try {
  migrateDeploy(process.env.DATABASE_URL);
  const { loadDemoIfEmpty } = await import("../lib/services/load-demo");
  const loaded = await loadDemoIfEmpty();
  if (loaded) console.log(`[modcompat] loaded demo data: ${loaded.results} results from ${loaded.file}`);
  // Incidents stored before migration 0004_dates lack their dating (openedSeenAt): rebuild them once.
  const { recomputeUndatedIncidents } = await import("../lib/services/regressions/recompute-incidents");
  const redated = await recomputeUndatedIncidents();
  if (redated) console.log(`[modcompat] dated the regressions stored before release dates were known (${redated.incidents} incidents)`);
} catch (e) {
  console.error("[modcompat] database setup failed:", e instanceof Error ? e.message : e);
  await shutdown(1);
}

if (mode === "db") {
  console.log(`READY ${process.env.DATABASE_URL}`);
  process.on("SIGINT", () => {
    embedded?.pause();
    void shutdown(0);
  });
  process.on("SIGTERM", () => {
    embedded?.pause();
    void shutdown(0);
  });
  setInterval(() => {}, 1 << 30);
} else if (mode === "dev") {
  const next = spawn(path.join(root, "node_modules/.bin/next"), ["dev", "-p", port, "-H", process.env.MODCOMPAT_HOST ?? "0.0.0.0"], {
    cwd: root,
    stdio: "inherit",
    // one process: it keeps every rate budget whole (lib/http/rate-limit.ts ruleFor)
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", MODCOMPAT_WORKERS: "1" },
  });
  const forward = (sig: NodeJS.Signals) => () => {
    embedded?.pause();
    if (!next.killed) next.kill(sig);
  };
  process.on("SIGINT", forward("SIGINT"));
  process.on("SIGTERM", forward("SIGTERM"));
  next.on("exit", (code) => void shutdown(code ?? 0));
} else {
  // Production: the front (lib/http/front.ts) listens on the port in this process, with admission
  // control and the busy-server microcache; MODCOMPAT_WORKERS reader processes render pages and
  // answer reads, and one writer process takes ingests and the other writes. Each is Next's
  // production server on a Unix socket. A process that dies is started again.
  let count = 0;
  let perProcess: AdmissionConfig = ADMISSION_DEFAULTS;
  try {
    count = workerCount(process.env.MODCOMPAT_WORKERS, availableParallelism());
    perProcess = admissionConfig();
    microcacheConfig();
    warmUpSeconds();
  } catch (e) {
    console.error(`[modcompat] ${e instanceof Error ? e.message : e}`);
    await shutdown(3);
  }
  const host = process.env.MODCOMPAT_HOST ?? "0.0.0.0";
  // Readers run at a lower CPU priority than the writer, the front and PostgreSQL: an ingest's
  // round trips and a replayed answer then never wait for a render's CPU slice. Measured with
  // `npm run load` (200 clients, 2 cores): ingest p50 2.2 s → 0.12 s, p95 4.0 s → 1.3 s.
  const READER_NICE = 10;
  const sockets = mkdtempSync(path.join(tmpdir(), "modcompat-"));
  const upstream = (name: string): Upstream => ({ name, socketPath: path.join(sockets, `${name}.sock`), ready: false, inFlight: 0 });
  const readers = Array.from({ length: count }, (_, i) => upstream(`reader-${i + 1}`));
  const writer = upstream("writer");
  interface Slot {
    role: "reader" | "writer";
    upstream: Upstream;
    worker?: Worker;
  }
  const slots: Slot[] = [...readers.map((u): Slot => ({ role: "reader", upstream: u })), { role: "writer", upstream: writer }];
  // A larger young generation: a render allocates tens of MB that die young, and with the default
  // 16 MB semi-spaces V8 scavenges several times per page. Measured (scripts/cpu-per.mjs, the load's read mix,
  // one reader, shared machine): 19.4-20.7 → 17.9-18.3 ms of CPU per request. NODE_OPTIONS wins.
  const semiSpace = /--max-semi-space-size/.test(process.env.NODE_OPTIONS ?? "") ? [] : ["--max-semi-space-size=64"];
  cluster.setupPrimary({ exec: path.join(root, "scripts/serve-worker.ts"), execArgv: [...process.execArgv, ...semiSpace], silent: false });
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", PORT: port, MODCOMPAT_WORKERS: String(count) };
  let front: Awaited<ReturnType<typeof startFront>> | null = null;
  let started = false;
  let draining = false;
  const restarts: number[] = [];

  const openFront = async () => {
    try {
      front = await startFront({ hostname: host, port: Number(port), upstreams: { readers, writer }, perProcess, staticDir: path.join(root, ".next/static") });
    } catch (e) {
      console.error(`[modcompat] cannot listen on ${host}:${port}: ${e instanceof Error ? e.message : e}`);
      stop();
      return;
    }
    console.log(`[modcompat] serving http://${host}:${port} with ${count} reader process${count === 1 ? "" : "es"} and a writer process`);
    // the front's counters, for GET /api/v1/health in whichever process answers it
    setInterval(() => {
      const stats = front!.front.stats();
      for (const s of slots) if (s.worker) sendToProcess(s.worker, { modcompat: "front-stats", stats } satisfies LauncherMessage);
    }, 1_000).unref();
  };
  const fork = (slot: Slot) => {
    const w = cluster.fork({
      ...env,
      MODCOMPAT_ROLE: slot.role,
      MODCOMPAT_SOCKET: slot.upstream.socketPath,
      // which modules the front sends it (lib/http/locality.ts), for its warm-up
      MODCOMPAT_UPSTREAM: slot.upstream.name,
      MODCOMPAT_READERS: readers.map((r) => r.name).join(","),
    });
    slot.worker = w;
    // any other failure of the channel: the process's exit, if it comes, is handled below
    w.on("error", (e: Error) => console.error(`[modcompat] ${slot.upstream.name} process ${w.process.pid}: ${e.message}`));
    if (slot.role === "reader" && w.process.pid) {
      try {
        setPriority(w.process.pid, READER_NICE);
      } catch {
        // not allowed here (a container's seccomp, say): every process keeps the same priority
      }
    }
    w.on("message", (m: LauncherMessage) => {
      if (m?.modcompat !== "listening") return;
      slot.upstream.ready = true;
      if (!started && slots.every((s) => s.upstream.ready)) {
        started = true;
        void openFront();
      }
    });
  };
  for (const slot of slots) fork(slot);
  cluster.on("exit", (w, code, signal) => {
    const slot = slots.find((s) => s.worker === w);
    if (slot) slot.upstream.ready = false;
    if (draining) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        rmSync(sockets, { recursive: true, force: true });
        void shutdown(0);
      }
      return;
    }
    // a process that cannot start at all (say, no production build) must not be restarted forever
    const now = Date.now();
    restarts.push(now);
    while (restarts.length && restarts[0] < now - 60_000) restarts.shift();
    const what = `${slot?.upstream.name ?? "server"} process ${w.process.pid} exited (${signal ?? `code ${code}`})`;
    if (!started || restarts.length > 5) {
      console.error(`[modcompat] ${what}; giving up (${started ? "more than 5 restarts in a minute" : "it never started"})`);
      draining = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.kill();
      rmSync(sockets, { recursive: true, force: true });
      void shutdown(1);
      return;
    }
    console.error(`[modcompat] ${what}; starting another`);
    if (slot) fork(slot);
  });
  const stop = () => {
    embedded?.pause();
    draining = true;
    front?.server.close();
    front?.server.closeIdleConnections();
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) {
      rmSync(sockets, { recursive: true, force: true });
      void shutdown(0);
    }
    for (const w of workers) w?.process.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
