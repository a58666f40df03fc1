import { sql, type SqlTarget } from "../../db/sql";
import { Prisma } from "../../generated/prisma/client";

/** Namespace of the ingest's advisory locks (pg_advisory_xact_lock(namespace, hashtext(key))). */
export const INGEST_LOCK = 727001;
const SOURCE_LOCK = 727002;

/**
 * The ingest's locks (issue 11: one global lock serialised every ingest at about 12/s). Cells,
 * version cell states and incidents all belong to one module, so two batches conflict only when
 * they touch a common module; run ids conflict only within one source. Locks are taken source
 * first, then modules in sorted order, so two batches can never wait for each other in a cycle.
 * Hash collisions only serialise a little more; they never let two batches of one module overlap.
 */
export async function lockIngestKeys(tx: SqlTarget, keys: { source?: string; moduleSlugs: Iterable<string> }): Promise<void> {
  const spaces: number[] = [];
  const names: string[] = [];
  if (keys.source !== undefined) {
    spaces.push(SOURCE_LOCK);
    names.push(keys.source);
  }
  for (const slug of [...new Set(keys.moduleSlugs)].sort()) {
    spaces.push(INGEST_LOCK);
    names.push(slug);
  }
  if (names.length === 0) return;
  // One statement, the locks taken in the order given: PostgreSQL evaluates a volatile function of
  // the select list after ORDER BY (since 9.6), row by row.
  await sql(
    tx,
    Prisma.sql`
    SELECT pg_advisory_xact_lock(ns, hashtext(k))::text FROM unnest(${spaces}::int[], ${names}::text[]) WITH ORDINALITY AS u(ns, k, i) ORDER BY i`,
  );
}
