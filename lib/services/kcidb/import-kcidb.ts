import { createHash } from "node:crypto";
import { kcidbToResults, type MapDefaults, type Unmapped } from "../../kcidb/map";
import type { KcidbDocument } from "../../kcidb/types";
import { kcidbIssues } from "../../kcidb/validate";
import { ingestBodySchema, MAX_RESULTS_PER_REQUEST, type IngestResponse } from "../../schemas/ingest";
import { AppError } from "../errors";
import { recordResults } from "../record-results";

export interface ImportKcidbOptions {
  tokenId?: number | null;
  /** module, version, kernel, arch for entries that do not name them in misc.modcompat */
  defaults?: MapDefaults;
  /** store the mappable entries even when some are not (they are listed in `unmapped`) */
  partial?: boolean;
}

export type ImportKcidbResponse = IngestResponse & {
  unmapped: Unmapped[];
  ignored: { issues: number; incidents: number };
};

const entryPath = (u: Unmapped) => `${u.kind}s[id=${u.id}]`;

/**
 * Store a KCIDB v5 document through the ingest path (recordResults): one run per document, whose
 * source is `kcidb-<origin>` and whose id is a hash of the KCIDB ids it maps, which are kept in
 * run.meta. Replaying the document stores nothing twice. All or nothing: a document with an entry
 * that cannot be mapped is refused whole, unless `partial` is asked for.
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
  const ids = [...mapped.sourceIds].sort();
  const runId = `kcidb-${createHash("sha256").update(ids.join("\n")).digest("hex").slice(0, 40)}`;
  const body = ingestBodySchema.parse({
    run: {
      source: mapped.origins.length === 1 ? `kcidb-${mapped.origins[0]}` : "kcidb-multi",
      id: runId,
      meta: { kcidb: { version: kcidb.version, origins: mapped.origins, ids: mapped.sourceIds } },
    },
    ...(mapped.modules.length ? { modules: mapped.modules } : {}),
    results: mapped.results,
  });
  const out = await recordResults(body, { tokenId: opts.tokenId });
  return { ...out, unmapped: mapped.unmapped, ignored: mapped.ignored };
}
