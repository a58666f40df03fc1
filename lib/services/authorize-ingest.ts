import { sql, type SqlTarget } from "../db/sql";
import { Prisma } from "../generated/prisma/client";
import type { IngestBody } from "../schemas/ingest";
import { AppError } from "./errors";

/**
 * The authorization model of POST /api/v1/results (issue 11):
 * - a **source** is a namespace of run ids; the first token that posts to it owns it, and only that
 *   token or an admin posts to it afterwards. A source created without a token (the demo, a local
 *   load) has no owner: only admin tokens post to it. Run ids are unique per source, so nobody can
 *   take another reporter's future run id;
 * - a token created with `--source` may post only to those sources (and still only if it owns them
 *   or they are new);
 * - a token created with `--module` patterns may post results and metadata only for matching slugs;
 * - a **module**'s name, homepage and description change only by the token whose ingest created it,
 *   or by an admin. Sending the values it already has is no change and allowed.
 * Checked inside the ingest transaction, after the ingest lock, before anything is written.
 */
export interface TokenScope {
  id: number;
  name: string;
  admin: boolean;
  sources: string[];
  modulePatterns: string[];
}

/** `zfs`, `zfs-*`, `*loopback`: `*` matches any run of characters, nothing else is special. */
export function matchesPattern(slug: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(slug);
}

const forbidden = (message: string) => new AppError("forbidden", message);

const createSource = (tx: SqlTarget, name: string, ownerTokenId: number | null) =>
  sql(tx, Prisma.sql`INSERT INTO "Source" (name, "ownerTokenId") VALUES (${name}, ${ownerTokenId}::int) RETURNING 1 AS ok`);

export async function authorizeIngest(tx: SqlTarget, body: IngestBody, token: TokenScope | null | undefined): Promise<void> {
  const source = body.run.source;
  const [row] = await sql<{ ownerTokenId: number | null }>(tx, Prisma.sql`SELECT "ownerTokenId" FROM "Source" WHERE name = ${source}`);
  if (!token) {
    // Trusted local callers (demo load, admin scripts): create the namespace, owned by nobody.
    if (!row) await createSource(tx, source, null);
    return;
  }
  if (!token.admin) {
    if (token.sources.length > 0 && !token.sources.includes(source)) {
      throw forbidden(`token "${token.name}" may post only to the sources ${token.sources.map((s) => `"${s}"`).join(", ")}, not to "${source}"`);
    }
    if (row && row.ownerTokenId !== token.id) {
      throw forbidden(
        row.ownerTokenId === null
          ? `source "${source}" has no owner token (it was loaded locally); only an admin token may post to it. Use a source name of your own`
          : `source "${source}" belongs to another token; use a source name of your own (run ids are namespaced by source)`,
      );
    }
    if (token.modulePatterns.length > 0) {
      const slugs = new Set([...body.results.map((r) => r.module), ...(body.modules ?? []).map((m) => m.slug)]);
      const outside = [...slugs].find((s) => !token.modulePatterns.some((p) => matchesPattern(s, p)));
      if (outside) throw forbidden(`token "${token.name}" may post only for modules matching ${token.modulePatterns.join(", ")}, not "${outside}"`);
    }
    const changing = (body.modules ?? []).filter((m) => m.name !== undefined || m.homepage !== undefined || m.description !== undefined);
    if (changing.length > 0) {
      const existing = await sql<{ slug: string; name: string; homepage: string | null; description: string | null; ownerTokenId: number | null }>(
        tx,
        Prisma.sql`SELECT slug, name, homepage, description, "ownerTokenId" FROM "Module" WHERE slug = ANY(${changing.map((m) => m.slug)}::text[])`,
      );
      const bySlug = new Map(existing.map((m) => [m.slug, m]));
      for (const m of changing) {
        const cur = bySlug.get(m.slug);
        if (!cur || cur.ownerTokenId === token.id) continue;
        const differs =
          (m.name !== undefined && m.name !== cur.name) ||
          (m.homepage !== undefined && m.homepage !== cur.homepage) ||
          (m.description !== undefined && m.description !== cur.description);
        if (differs) {
          throw forbidden(`module "${m.slug}" is owned by another token: only its owner or an admin token changes its name, homepage or description (send results without them)`);
        }
      }
    }
  }
  if (!row) await createSource(tx, source, token.id);
}
