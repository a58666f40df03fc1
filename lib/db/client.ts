import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";

export type Db = PrismaClient;
/** The transaction client handed to `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export const DEFAULT_DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:54329/modcompat";

export function createPrisma(connectionString = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}

const holder = globalThis as unknown as { __modcompatPrisma?: PrismaClient };

/** One client per process (and one across Next dev hot reloads), created on first use. */
export function db(): PrismaClient {
  holder.__modcompatPrisma ??= createPrisma();
  return holder.__modcompatPrisma;
}
