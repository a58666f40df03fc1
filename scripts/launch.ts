/**
 * `npm run dev` / `npm start` / `npm run db`: with no DATABASE_URL, start the embedded PostgreSQL
 * (data under .data/pg), apply migrations, load the demo into an empty database, then run Next.
 * With DATABASE_URL, use that server and start none. Ctrl-C stops Next, then Postgres, cleanly.
 * `start` runs MODCOMPAT_WORKERS server processes (default: one per core, at most 4).
 */
import { spawn } from "node:child_process";
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { superviseEmbedded, type Supervisor } from "../lib/db/supervise";
import { migrateDeploy } from "../lib/db/migrate";
import { workerCount } from "../lib/http/workers";

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
  const start = () => startEmbeddedPostgres({ dir, port: pgPort, database: "modcompat" });
  const first = await start();
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
  // Production: one Next server process per core (Node's cluster shares the port), each behind
  // admission control and the busy-server microcache (lib/http/serve.ts). A worker that dies is
  // started again.
  let count: number;
  try {
    count = workerCount(process.env.MODCOMPAT_WORKERS, availableParallelism());
  } catch (e) {
    console.error(`[modcompat] ${e instanceof Error ? e.message : e}`);
    await shutdown(3);
  }
  const host = process.env.MODCOMPAT_HOST ?? "0.0.0.0";
  cluster.setupPrimary({ exec: path.join(root, "scripts/serve-worker.ts"), execArgv: process.execArgv, silent: false });
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", PORT: port, MODCOMPAT_HOST: host, MODCOMPAT_WORKERS: String(count!) };
  let ready = 0;
  let draining = false;
  const restarts: number[] = [];
  const fork = () => {
    const w = cluster.fork(env);
    w.once("listening", () => {
      if (++ready === count) console.log(`[modcompat] serving http://${host}:${port} with ${count} worker process${count === 1 ? "" : "es"}`);
    });
  };
  for (let i = 0; i < count!; i++) fork();
  cluster.on("exit", (w, code, signal) => {
    if (draining) {
      if (Object.keys(cluster.workers ?? {}).length === 0) void shutdown(0);
      return;
    }
    // a worker that cannot start at all (say, no production build) must not be restarted forever
    const now = Date.now();
    restarts.push(now);
    while (restarts.length && restarts[0] < now - 60_000) restarts.shift();
    if (ready === 0 || restarts.length > 5) {
      console.error(`[modcompat] server worker ${w.process.pid} exited (${signal ?? `code ${code}`}); giving up (${ready === 0 ? "it never started" : "more than 5 restarts in a minute"})`);
      for (const other of Object.values(cluster.workers ?? {})) other?.kill();
      void shutdown(1);
      return;
    }
    console.error(`[modcompat] server worker ${w.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
    fork();
  });
  const stop = () => {
    embedded?.pause();
    draining = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) void shutdown(0);
    for (const w of workers) w?.process.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
