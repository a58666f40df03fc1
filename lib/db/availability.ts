/**
 * Is this error "the database is not there right now" (connection refused, dropped, server
 * starting or shutting down, pool exhausted) rather than a bug? Such errors answer 503 with
 * Retry-After instead of a 500: the request was fine and may be repeated as it is.
 *
 * Prisma's pg adapter passes the pg/Node error through as a cause, so the whole cause chain is
 * looked at: Node socket codes, PostgreSQL SQLSTATEs of class 08 (connection) and 57P0x
 * (operator intervention: shutdown, crash, starting up), and Prisma's own codes for the same.
 * node-pg's own errors (the ingest's write transactions, lib/db/write-transaction.ts) carry the
 * same SQLSTATE in `code` and the same socket codes; its client- and pool-side messages (a
 * connection ended mid-transaction, no connection free within the wait) are matched by text.
 * A cancelled statement (57014) counts too: lib/db/abortable.ts cancels the query of a client that
 * went away, and should Prisma have batched another request's read into that same statement, that
 * request was fine and may be repeated (its own client is still there, so it gets the 503).
 */
const NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "EAI_AGAIN", "ENETUNREACH"]);
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const SQLSTATE = /^(08\d{3}|57P0[1-4]|57014|53300)$/;
const MESSAGE =
  /Can't reach database server|Connection terminated|connection terminated|Server has closed the connection|terminating connection|the database system is (?:starting up|shutting down|in recovery mode|not yet accepting connections)|Client has encountered a connection error|timeout exceeded when trying to connect|Connection refused|connect ECONNREFUSED|sorry, too many clients|Timed out fetching a new connection|canceling statement due to user request|the client went away; the request's database work was stopped|Client was closed and is not queryable|Cannot use a pool after calling end on the pool|no database connection came free/;

export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = err;
  for (let depth = 0; e && typeof e === "object" && !seen.has(e) && depth < 8; depth++) {
    seen.add(e);
    const o = e as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown; kind?: unknown };
    for (const code of [o.code, o.originalCode]) {
      if (typeof code === "string" && (NODE_CODES.has(code) || PRISMA_CODES.has(code) || SQLSTATE.test(code))) return true;
    }
    if (typeof o.message === "string" && MESSAGE.test(o.message)) return true;
    if (o.kind === "DatabaseNotReachable" || o.kind === "ConnectionClosed" || o.kind === "SocketTimeout") return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
    e = o.cause;
  }
  return false;
}

/** Seconds a client should wait before retrying while the database is away. */
export const RETRY_AFTER_SECONDS = 5;
