import type { TokenScope } from "../authorize-ingest";
import { createHash } from "node:crypto";
import { junitToResults, type JunitDefaults, type JunitUnmapped } from "../../junit/map";
import { JunitError, parseJunit } from "../../junit/parse";
import { ingestBodySchema, MAX_RESULTS_PER_REQUEST, type IngestResponse } from "../../schemas/ingest";
import { AppError } from "../errors";
import { recordResults } from "../record-results";

export interface ImportJunitOptions {
  tokenId?: number | null;
  /** the posting token's scopes (lib/services/authorize-ingest.ts); none for trusted local callers */
  token?: TokenScope | null;
  defaults?: JunitDefaults;
  /** run source (default "junit") and id (default: a hash of the document, so a resent report is a replay) */
  source?: string;
  runId?: string;
  url?: string;
  /** store the mappable test cases even when some are not */
  partial?: boolean;
}

export type ImportJunitResponse = IngestResponse & { unmapped: JunitUnmapped[] };

/** Store a JUnit XML report through the ingest path: one run, all or nothing. */
export async function importJunit(xml: string, opts: ImportJunitOptions = {}): Promise<ImportJunitResponse> {
  let cases;
  try {
    cases = parseJunit(xml);
  } catch (e) {
    if (e instanceof JunitError) throw new AppError("validation_failed", `not a JUnit XML report: ${e.message}; nothing was stored`, undefined, { cause: e });
    throw e;
  }
  const { results, unmapped } = junitToResults(cases, opts.defaults);
  const issues = unmapped.map((u) => ({ path: `testcase[${u.index}] ${u.name}`, message: u.reason }));
  if (unmapped.length && !opts.partial) {
    throw new AppError("validation_failed", `${unmapped.length} of ${cases.length} test cases cannot be mapped onto results; nothing was stored (import with partial=1 to store the others)`, issues.slice(0, 1000));
  }
  if (results.length === 0) throw new AppError("validation_failed", "the report has no test case that maps onto a result; nothing was stored", issues);
  if (results.length > MAX_RESULTS_PER_REQUEST) throw new AppError("payload_too_large", `${results.length} test cases exceed the limit of ${MAX_RESULTS_PER_REQUEST} per import; split the report`);
  const parsed = ingestBodySchema.safeParse({
    run: {
      source: opts.source ?? "junit",
      id: opts.runId ?? `junit-${createHash("sha256").update(xml).digest("hex").slice(0, 40)}`,
      ...(opts.url ? { url: opts.url } : {}),
      meta: { junit: { testcases: cases.length, mapped: results.length } },
    },
    results,
  });
  if (!parsed.success) throw new AppError("validation_failed", "invalid run source, id or url; nothing was stored", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  const out = await recordResults(parsed.data, { tokenId: opts.tokenId, token: opts.token });
  return { ...out, unmapped };
}
