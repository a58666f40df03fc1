import { createHash, randomBytes } from "node:crypto";
import { db } from "../db/client";
import { pgRunner, sql } from "../db/sql";
import { writerPool } from "../db/write-transaction";
import { Prisma } from "../generated/prisma/client";
import { AppError } from "./errors";
import type { TokenScope } from "./authorize-ingest";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export interface CreatedToken {
  id: number;
  name: string;
  token: string;
}

/** Scopes of a new token (lib/services/authorize-ingest.ts). Default: ingest into sources it owns or creates first, any module. */
export interface TokenScopesInput {
  sources?: string[];
  /** glob patterns of module slugs, e.g. `zfs`, `nvidia-*` */
  modules?: string[];
  admin?: boolean;
}

const SOURCE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MODULE_PATTERN_RE = /^[a-z0-9*][a-z0-9._+*-]{0,99}$/;

/** The token is returned once; only its sha256 is stored. */
export async function createToken(name: string, scopes: TokenScopesInput = {}): Promise<CreatedToken> {
  const clean = name.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(clean)) {
    throw new AppError("validation_failed", `invalid token name "${name}": use letters, digits and . _ - (at most 100)`);
  }
  const sources = [...new Set(scopes.sources ?? [])];
  const modulePatterns = [...new Set(scopes.modules ?? [])];
  const badSource = sources.find((s) => !SOURCE_RE.test(s));
  if (badSource !== undefined) throw new AppError("validation_failed", `invalid source "${badSource}": letters, digits and . _ - (at most 100)`);
  const badPattern = modulePatterns.find((p) => !MODULE_PATTERN_RE.test(p));
  if (badPattern !== undefined) throw new AppError("validation_failed", `invalid module pattern "${badPattern}": lower-case slug characters and * (e.g. zfs, nvidia-*)`);
  const token = `mc_${randomBytes(24).toString("base64url")}`;
  const existing = await db().apiToken.findUnique({ where: { name: clean } });
  if (existing) throw new AppError("conflict", `a token named "${clean}" already exists (revoke it or pick another name)`);
  const row = await db().apiToken.create({
    data: { name: clean, hash: hash(token), prefix: token.slice(0, 7), sources, modulePatterns, admin: scopes.admin ?? false },
  });
  return { id: row.id, name: row.name, token };
}

export async function listTokens() {
  return db().apiToken.findMany({
    orderBy: { id: "asc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true, admin: true, sources: true, modulePatterns: true },
  });
}

export async function revokeToken(nameOrId: string): Promise<{ id: number; name: string; alreadyRevoked: boolean }> {
  const where = /^\d+$/.test(nameOrId) ? { id: Number(nameOrId) } : { name: nameOrId };
  const row = await db().apiToken.findUnique({ where });
  if (!row) throw new AppError("not_found", `no token with ${"id" in where ? "id" : "name"} "${nameOrId}"`);
  if (row.revokedAt) return { id: row.id, name: row.name, alreadyRevoked: true };
  await db().apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
  return { id: row.id, name: row.name, alreadyRevoked: false };
}

/** Checks an `Authorization` header value; returns the token's scopes. */
export async function authenticate(header: string | null): Promise<TokenScope> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!m) {
    throw new AppError("unauthorized", "missing bearer token: send `Authorization: Bearer <token>` (create one with `npx modcompat token create --name <name>`)");
  }
  // One node-pg statement on the write pool, not two through Prisma: every ingest authenticates,
  // and Prisma 6 compiles a plan per statement (issue 14; 12-15 ms of CPU per call measured).
  // The look-up, and lastUsedAt for a token that is not revoked.
  const [row] = await sql<{ id: number; name: string; admin: boolean; sources: string[]; modulePatterns: string[]; revokedAt: Date | null }>(
    pgRunner(writerPool()),
    Prisma.sql`
    WITH t AS (SELECT id, name, admin, sources, "modulePatterns", "revokedAt" FROM "ApiToken" WHERE hash = ${hash(m[1])}),
         -- a data-modifying WITH runs whether or not it is read
         u AS (UPDATE "ApiToken" SET "lastUsedAt" = (now() AT TIME ZONE 'UTC')::timestamp(3) WHERE id IN (SELECT id FROM t WHERE "revokedAt" IS NULL) RETURNING id)
    SELECT * FROM t`,
  );
  if (!row) throw new AppError("unauthorized", "unknown token");
  if (row.revokedAt) throw new AppError("forbidden", `token "${row.name}" was revoked on ${row.revokedAt.toISOString()}`);
  return { id: row.id, name: row.name, admin: row.admin, sources: row.sources, modulePatterns: row.modulePatterns };
}
