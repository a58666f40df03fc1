/**
 * `npm run dev` / `npm start` / `npm run db`: with no DATABASE_URL, start the embedded PostgreSQL
 * (data under .data/pg), apply migrations, load the demo into an empty database, then run Next.
 * With DATABASE_URL, use that server and start none. Ctrl-C stops Next, then Postgres, cleanly.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { superviseEmbedded, type Supervisor } from "../lib/db/supervise";
import { migrateDeploy } from "../lib/db/migrate";

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
} else {
  const next = spawn(path.join(root, "node_modules/.bin/next"), [mode, "-p", port, "-H", process.env.MODCOMPAT_HOST ?? "0.0.0.0"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  const forward = (sig: NodeJS.Signals) => () => {
    embedded?.pause();
    if (!next.killed) next.kill(sig);
  };
  process.on("SIGINT", forward("SIGINT"));
  process.on("SIGTERM", forward("SIGTERM"));
  next.on("exit", (code) => void shutdown(code ?? 0));
}
