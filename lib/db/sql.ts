import pg, { type PoolClient } from "pg";
import { Prisma } from "../generated/prisma/client";
import { preparedQuery } from "./prepared";

/**
 * The one thing the write path's services need from a database: run one statement, get its rows
 * (issue 14: the ingest transaction runs on node-pg, without Prisma's per-statement plan compile).
 * Two implementations run the same SQL text: a node-pg client (the ingest, lib/db/write-transaction.ts)
 * and a Prisma client or transaction (reindex, recompute, imports, tests), through `$queryRawUnsafe`.
 *
 * Statements are built with Prisma's `Prisma.sql` template (a string builder, no query engine:
 * `text` is the statement with `$1…` placeholders, `values` the parameters), so the services keep
 * one SQL text for both. Results look the same either way for the types the services read: int4 and
 * float8 as numbers, json as parsed values, `timestamp` (UTC by the schema's convention) as Dates.
 * int8 and numeric differ (BigInt/Decimal through Prisma, strings through node-pg): cast such
 * columns to int or float8 in the statement. Dates are never sent as parameters: node-pg would send
 * them in local time; pass ISO text and cast (`utcTimestamp`).
 */
export interface SqlRunner {
  query<T>(text: string, params: readonly unknown[]): Promise<T[]>;
  /** true: statements go out named, so PostgreSQL keeps their plans (lib/db/prepared.ts) */
  readonly namedStatements?: boolean;
  /** the transaction's plan_cache_mode when this runner set it (setPlanCacheMode), else unknown */
  planCacheMode?: string;
}

/** What the shared services accept: a SqlRunner, or a Prisma client or transaction client. */
export type SqlTarget = SqlRunner | Pick<Prisma.TransactionClient, "$queryRawUnsafe">;

const PRISMA_RUNNERS = new WeakMap<object, SqlRunner>();

/** The runner of a target: itself, or one made once per Prisma client that runs through `$queryRawUnsafe`. */
export function runnerOf(target: SqlTarget): SqlRunner {
  if ("query" in target && typeof target.query === "function") return target;
  const tx = target as Pick<Prisma.TransactionClient, "$queryRawUnsafe">;
  let runner = PRISMA_RUNNERS.get(tx);
  if (!runner) {
    runner = { query: <T>(text: string, params: readonly unknown[]) => tx.$queryRawUnsafe<T[]>(text, ...checkedParams(params)) };
    PRISMA_RUNNERS.set(tx, runner);
  }
  return runner;
}

/** One statement built with `Prisma.sql`, on either implementation. */
export function sql<T>(target: SqlTarget, statement: Prisma.Sql): Promise<T[]> {
  return runnerOf(target).query<T>(statement.text, statement.values);
}

function checkedParams(params: readonly unknown[]): unknown[] {
  for (const p of params) {
    // A Date would go out as local time through node-pg and as UTC through Prisma: never send one.
    if (p instanceof Date) throw new Error("SqlRunner: pass dates as ISO text and cast them (utcTimestamp), not as Date");
  }
  return params as unknown[];
}

/**
 * Sets PostgreSQL's plan_cache_mode for the rest of the transaction and answers the mode it had
 * (to set back). With named statements (lib/db/prepared.ts), "force_generic_plan" plans each text
 * once per connection instead of at every execution: right for statements whose answers are small
 * and index-bound whatever their parameters (generic plans assume an array parameter of about ten
 * elements), wrong for bulk statements, whose plans should see their real sizes. Outside a
 * transaction it changes nothing.
 */
export async function setPlanCacheMode(target: SqlTarget, mode: string): Promise<string> {
  // A runner that knows its transaction is in this mode already needs no statement (each is a round trip).
  const runner = "query" in target ? target : null;
  if (runner?.planCacheMode === mode) return mode;
  const [row] = await sql<{ prev: string }>(
    target,
    Prisma.sql`SELECT p.prev FROM (SELECT current_setting('plan_cache_mode') AS prev OFFSET 0) p CROSS JOIN LATERAL set_config('plan_cache_mode', ${mode}, true)`,
  );
  if (runner) runner.planCacheMode = mode;
  return row.prev;
}

/** SQL for an ISO date text parameter (or null) as the UTC `timestamp(3)` Prisma keeps DateTime in. */
export const utcTimestamp = (iso: string | null) => Prisma.sql`((${iso}::text)::timestamptz AT TIME ZONE 'UTC')::timestamp(3)`;

/** A Date (or null) as the ISO text utcTimestamp and the `::text[]` array casts expect. */
export const isoOrNull = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

const TIMESTAMP_OID = 1114;

/**
 * node-pg's type parsers for the write path: a `timestamp` (no zone) holds UTC here (Prisma's
 * convention), while node-pg would read it as local time.
 */
export const utcTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === TIMESTAMP_OID && format !== "binary") return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/**
 * A runner on one node-pg client (the rows come back as the pool's type parsers make them).
 * `named`: statements go out named (lib/db/prepared.ts); otherwise unnamed, planned at every run.
 */
export function pgRunner(client: Pick<PoolClient, "query">, named = true): SqlRunner {
  return {
    namedStatements: named,
    async query<T>(text: string, params: readonly unknown[]) {
      const values = checkedParams(params);
      return (await client.query(named ? preparedQuery(text, values) : { text, values })).rows as T[];
    },
  };
}
