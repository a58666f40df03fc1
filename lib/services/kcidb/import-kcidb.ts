import type { TokenScope } from "../authorize-ingest";
import { createHash } from "node:crypto";
import { db } from "../../db/client";
import { kcidbToResults, type MapDefaults, type Unmapped } from "../../kcidb/map";
import type { KcidbDocument } from "../../kcidb/types";
import { kcidbIssues } from "../../kcidb/validate";
import { ingestBodySchema, MAX_RESULTS_PER_REQUEST, type IngestResponse } from "../../schemas/ingest";
import { AppError } from "../errors";
import { recordResults } from "../record-results";

export interface ImportKcidbOptions {
  tokenId?: number | null;
  /** the posting token's scopes (lib/services/authorize-ingest.ts); none for trusted local callers */
  token?: TokenScope | null;
  /** module, version, kernel, arch for entries that do not name them in misc.modcompat */
  defaults?: MapDefaults;
  /** store the mappable entries even when some are not (they are listed in `unmapped`) */
  partial?: boolean;
}

export type ImportKcidbResponse = IngestResponse & {
  unmapped: Unmapped[];
  ignored: { issues: number; incidents: number };
  /** entries skipped because an earlier document of the same origin already brought them */
  alreadyImported: number;
};

const entryPath = (u: Unmapped) => `${u.kind}s[id=${u.id}]`;

/**
 * Store a KCIDB v5 document through the ingest path (recordResults): one run per document, whose
 * source is `kcidb-<origin>` and whose id is a hash of the KCIDB ids it maps, which are kept in
 * run.meta. Replaying the document stores nothing twice, and entries an earlier document of the
 * same origin brought are skipped (the first content of an id is kept). All or nothing: a document
 * with an entry that cannot be mapped is refused whole, unless `partial` is asked for. The skip is
 * checked before the ingest transaction, so two overlapping documents imported at the same moment
 * can both store their common entries.
 */
export async function importKcidb(doc: unknown, opts: ImportKcidbOptions = {}): Promise<ImportKcidbResponse> {
  const issues = kcidbIssues(doc);
  if (issues.length) throw new AppError("validation_failed", "not a valid KCIDB v5 document (kcidb-io schema v5.3); nothing was stored", issues);
  const kcidb = doc as KcidbDocument;
  const mapped = kcidbToResults(kcidb, opts.defaults);
  const unmappedIssues = mapped.unmapped.map((u) => ({ path: entryPath(u), message: u.reason }));
  if (mapped.unmapped.length && !opts.partial) {
    throw new AppError(
      "validation_failed",
      `${mapped.unmapped.length} of ${mapped.unmapped.length + mapped.results.length} entries cannot be mapped onto results; nothing was stored (import with partial=1 to store the others)`,
      unmappedIssues.slice(0, 1000),
    );
  }
  if (mapped.results.length === 0) throw new AppError("validation_failed", "the document has no build or test that maps onto a result; nothing was stored", unmappedIssues);
  if (mapped.results.length > MAX_RESULTS_PER_REQUEST) {
    throw new AppError("payload_too_large", `${mapped.results.length} results exceed the limit of ${MAX_RESULTS_PER_REQUEST} per import; split the document`);
  }
  const source = mapped.origins.length === 1 ? `kcidb-${mapped.origins[0]}` : "kcidb-multi";
  const runIdOf = (ids: readonly string[]) => `kcidb-${createHash("sha256").update([...ids].sort().join("\n")).digest("hex").slice(0, 40)}`;
  // KCIDB submissions grow: a later document may repeat entries an earlier one brought. Those are
  // skipped (by their KCIDB id), unless this is the very same document again, which recordResults
  // answers as a replay of its run.
  let keep = mapped.results.map((_, i) => i);
  let runId = runIdOf(mapped.sourceIds);
  const sameDocument = await db().run.findUnique({ where: { source_externalId: { source, externalId: runId } }, select: { id: true } });
  if (!sameDocument) {
    const known = await knownIds(source, mapped.sourceIds);
    keep = keep.filter((i) => !known.has(mapped.sourceIds[i]));
    if (keep.length === 0) {
      const last = await db().run.findFirst({ where: { source }, orderBy: { id: "desc" }, select: { id: true, source: true, externalId: true } });
      return {
        run: { id: last!.id, source: last!.source, externalId: last!.externalId },
        replayed: true,
        stored: 0,
        created: { modules: 0, moduleVersions: 0, kernels: 0 },
        cellsUpdated: 0,
        unmapped: mapped.unmapped,
        ignored: mapped.ignored,
        alreadyImported: mapped.results.length,
      };
    }
    runId = runIdOf(keep.map((i) => mapped.sourceIds[i]));
  }
  const body = ingestBodySchema.parse({
    run: {
      source,
      id: runId,
      meta: { kcidb: { version: kcidb.version, origins: mapped.origins, ids: keep.map((i) => mapped.sourceIds[i]) } },
    },
    ...(mapped.modules.length ? { modules: mapped.modules } : {}),
    results: keep.map((i) => mapped.results[i]),
  });
  const out = await recordResults(body, { tokenId: opts.tokenId, token: opts.token });
  return { ...out, unmapped: mapped.unmapped, ignored: mapped.ignored, alreadyImported: mapped.results.length - keep.length };
}

/** Which of `ids` earlier imports of `source` stored (run.meta.kcidb.ids). */
async function knownIds(source: string, ids: readonly string[]): Promise<Set<string>> {
  const rows = await db().$queryRaw<{ id: string }[]>`
    SELECT DISTINCT e.id FROM "Run" r, jsonb_array_elements_text(r.meta->'kcidb'->'ids') AS e(id)
    WHERE r.source = ${source} AND e.id = ANY(${[...ids]}::text[])`;
  return new Set(rows.map((r) => r.id));
}
