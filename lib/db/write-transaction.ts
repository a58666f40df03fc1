import { Pool } from "pg";
import { connectionStringOf } from "./client";
import { pgRunner, utcTypes, type SqlRunner } from "./sql";

/**
 * Write transactions on node-pg (issue 14): the ingest's statements go straight to a pooled client,
 * without Prisma 6's plan compile per statement (its WebAssembly query compiler on the event loop,
 * about 35 % of the writer's CPU). The pool is its own, small, beside Prisma's (lib/db/client.ts),
 * for the database of the process's Prisma client (a test that swaps that client swaps this pool too).
 * Sessions run in UTC, so `DEFAULT CURRENT_TIMESTAMP` columns get the UTC time Prisma would write.
 */
export interface WriteTransactionOptions {
  /** the whole transaction, from BEGIN: past it, it is rolled back (Prisma's interactive `timeout`) */
  timeoutMs?: number;
  /** false: statements go out unnamed, planned for their parameters at every run (default true: lib/db/prepared.ts) */
  namedStatements?: boolean;
  /** the transaction's plan_cache_mode, set with BEGIN in the same round trip (default: the session's) */
  planCacheMode?: (typeof PLAN_CACHE_MODES)[number];
}

const PLAN_CACHE_MODES = ["auto", "force_generic_plan", "force_custom_plan"] as const;

const WRITER_POOL_SIZE = 8;
/** Waiting for a free connection (Prisma's `maxWait`): past it, ConnectionWaitError, a 503. */
export const WRITER_MAX_WAIT_MS = 30_000;
const g = globalThis as unknown as { __modcompatWriterPools?: Map<string, Pool>; __modcompatWriterStats?: WriterStats };
const pools = (g.__modcompatWriterPools ??= new Map());

/** Counts of the write pool's transactions, for tests and profiling. */
export interface WriterStats {
  begun: number;
  committed: number;
  rolledBack: number;
  /** clients checked out and not yet released */
  checkedOut: number;
}
export const writerStats: WriterStats = (g.__modcompatWriterStats ??= { begun: 0, committed: 0, rolledBack: 0, checkedOut: 0 });

export function writerPool(connectionString = connectionStringOf()): Pool {
  let pool = pools.get(connectionString);
  if (!pool) {
    pool = new Pool({
      connectionString,
      max: WRITER_POOL_SIZE,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
      connectionTimeoutMillis: WRITER_MAX_WAIT_MS,
      types: utcTypes,
      options: "-c TimeZone=UTC",
    });
    // An idle client's error (a PostgreSQL restart) is reported by the next query (503, availability.ts).
    pool.on("error", () => {});
    pools.set(connectionString, pool);
  }
  return pool;
}

/** No connection of the write pool came free in time: the database is saturated or away (503, availability.ts). */
export class ConnectionWaitError extends Error {
  constructor(ms: number, cause: unknown) {
    super(`no database connection came free for this write within ${ms / 1000} s; nothing was stored`, { cause });
    this.name = "ConnectionWaitError";
  }
}

export class TransactionTimeoutError extends Error {
  constructor(ms: number) {
    super(`the write transaction ran longer than ${ms} ms and was rolled back; nothing was stored`);
    this.name = "TransactionTimeoutError";
  }
}

/**
 * Run `fn` in one transaction on one client of the write pool: BEGIN, then COMMIT, or ROLLBACK on
 * any error (the error is rethrown). The client is always released; one whose state is unknown
 * (a failed ROLLBACK, a timeout mid-statement) is closed instead of returned to the pool.
 */
export async function inWriteTransaction<T>(fn: (db: SqlRunner) => Promise<T>, opts: WriteTransactionOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const client = await connectWithin(writerPool(), WRITER_MAX_WAIT_MS);
  writerStats.checkedOut++;
  // pg-pool stops listening for a client's errors while it is checked out, and an 'error' event
  // nobody listens to ends the process: a connection lost between two statements (PostgreSQL
  // killed while this transaction computes) must only fail the transaction. Its next statement
  // then fails ("not queryable"), which availability.ts answers with 503.
  let lost: Error | null = null;
  const onError = (err: Error) => {
    lost ??= err;
  };
  client.on("error", onError);
  let released = false;
  const release = (destroy?: Error) => {
    if (released) return;
    released = true;
    writerStats.checkedOut--;
    client.removeListener("error", onError);
    client.release(destroy ?? lost ?? undefined);
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // Closing the connection ends the running statement and rolls the transaction back in PostgreSQL.
    release(new TransactionTimeoutError(timeoutMs));
  }, timeoutMs);
  const base = pgRunner(client, opts.namedStatements ?? true);
  const mode = opts.planCacheMode;
  if (mode !== undefined && !PLAN_CACHE_MODES.includes(mode)) throw new Error(`unknown plan_cache_mode "${mode}"`);
  const runner: SqlRunner = {
    namedStatements: base.namedStatements,
    planCacheMode: mode,
    query<R>(text: string, params: readonly unknown[]) {
      if (timedOut) return Promise.reject(new TransactionTimeoutError(timeoutMs));
      return base.query<R>(text, params);
    },
  };
  try {
    // One round trip either way: a simple query may hold several statements.
    await client.query(mode === undefined ? "BEGIN" : `BEGIN; SET LOCAL plan_cache_mode = ${mode}`);
    writerStats.begun++;
    const out = await fn(runner);
    if (timedOut) throw new TransactionTimeoutError(timeoutMs);
    await client.query("COMMIT");
    writerStats.committed++;
    return out;
  } catch (err) {
    if (!released) {
      try {
        await client.query("ROLLBACK");
      } catch {
        release(err instanceof Error ? err : new Error(String(err)));
      }
    }
    writerStats.rolledBack++;
    throw timedOut ? new TransactionTimeoutError(timeoutMs) : err;
  } finally {
    clearTimeout(timer);
    release();
  }
}

async function connectWithin(pool: Pool, maxWaitMs: number) {
  try {
    return await pool.connect();
  } catch (err) {
    // pg-pool's own wait (connectionTimeoutMillis): say what it means, keep the cause.
    if (err instanceof Error && /timeout exceeded when trying to connect/.test(err.message)) throw new ConnectionWaitError(maxWaitMs, err);
    throw err;
  }
}
