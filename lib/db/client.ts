import { PrismaPg } from "@prisma/adapter-pg";
import type { Pool } from "pg";
import { PrismaClient } from "../generated/prisma/client";
import { AbortablePool } from "./abortable";
import { preparedQuery } from "./prepared";
import { utcTypes, type SqlRunner } from "./sql";

export type Db = PrismaClient;
/** The transaction client handed to `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export const DEFAULT_DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:54329/modcompat";

const urls = new WeakMap<object, string>();

export function createPrisma(connectionString = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): PrismaClient {
  // AbortablePool: a read whose client went away stops its queries (lib/db/abortable.ts).
  const client = new PrismaClient({ adapter: new PrismaPg(new AbortablePool({ connectionString, max: 10 }), { disposeExternalPool: true }) });
  urls.set(client, connectionString);
  return client;
}

const holder = globalThis as unknown as { __modcompatPrisma?: PrismaClient };

/** One client per process (and one across Next dev hot reloads), created on first use. */
export function db(): PrismaClient {
  holder.__modcompatPrisma ??= createPrisma();
  return holder.__modcompatPrisma;
}

/**
 * The database of the process's Prisma client (db()): where the node-pg write pool connects
 * (lib/db/write-transaction.ts), so that swapping the client (tests) moves the writes with it.
 */
export function connectionStringOf(): string {
  return urls.get(holder.__modcompatPrisma ?? {}) ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

const pgHolder = globalThis as unknown as { __modcompatPgPool?: Pool };

/**
 * node-pg straight, for the hottest reads (the pre-upgrade check's statement): Prisma's `$queryRaw`
 * costs about as much Node CPU again as the query itself (issue 14). Small (the Prisma pool stays
 * the main one), lets the process exit when idle, and ignores errors of idle clients (a PostgreSQL
 * restart), which the next query reports as usual (lib/db/availability.ts maps them to 503).
 */
export function pgPool(): Pool {
  if (!pgHolder.__modcompatPgPool) {
    const pool = new AbortablePool({ connectionString: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, max: 4, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    pool.on("error", () => {});
    pgHolder.__modcompatPgPool = pool;
  }
  return pgHolder.__modcompatPgPool;
}

/**
 * One read through pgPool: `$1`, `$2`, … placeholders; json columns come back parsed, as from
 * `$queryRaw`. A named statement, so PostgreSQL keeps its plan (lib/db/prepared.ts).
 */
export async function pgRead<T>(sql: string, params: unknown[]): Promise<T[]> {
  return (await pgPool().query(preparedQuery(sql, params))).rows as T[];
}

/**
 * pgRead as a SqlRunner, for the services shared with the write path (lib/db/sql.ts) when a page
 * reads through them: named statements on pgPool, and a `timestamp` read as UTC, as Prisma and the
 * write path read it (utcTypes), so the rows are the same whichever runs them.
 */
const READ_RUNNER: SqlRunner = {
  namedStatements: true,
  async query<T>(text: string, params: readonly unknown[]) {
    if (params.some((p) => p instanceof Date)) throw new Error("pgReadRunner: pass dates as ISO text and cast them (utcTimestamp), not as Date");
    return (await pgPool().query({ ...preparedQuery(text, params), types: utcTypes })).rows as T[];
  },
};
export const pgReadRunner = (): SqlRunner => READ_RUNNER;

/**
 * SQL for a `timestamp` column as UTC ISO text (`2026-11-26T17:12:56.000Z`): node-pg reads a
 * `timestamp` as local time, Prisma reads it as UTC; `new Date(text)` of this is what Prisma gives.
 */
export function isoUtc(column: string): string {
  return `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
