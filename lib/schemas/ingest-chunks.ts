import { ingestBodySchema, MAX_BODY_BYTES, MAX_RESULTS_PER_REQUEST, type IngestBody, type IngestResult, type IngestRun, type ModuleInfo } from "./ingest";

const encoder = new TextEncoder();

/**
 * Split a run into request bodies of at most `maxResults` results (and well under the byte cap).
 * A single body keeps the run id; several get `-part1`, `-part2`, … so each part is idempotent.
 */
export function chunkBodies(
  run: IngestRun,
  modules: ModuleInfo[] | undefined,
  results: IngestResult[],
  maxResults = MAX_RESULTS_PER_REQUEST,
  maxBytes = Math.floor(MAX_BODY_BYTES * 0.9),
): IngestBody[] {
  const chunks: IngestResult[][] = [];
  let cur: IngestResult[] = [];
  let bytes = 0;
  const overhead = encoder.encode(JSON.stringify({ run, modules })).length + 1024;
  for (const r of results) {
    const size = encoder.encode(JSON.stringify(r)).length + 1;
    if (cur.length > 0 && (cur.length >= maxResults || overhead + bytes + size > maxBytes)) {
      chunks.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(r);
    bytes += size;
  }
  if (cur.length > 0) chunks.push(cur);
  if (chunks.length <= 1) return chunks.map((c) => ({ run, ...(modules?.length ? { modules } : {}), results: c }));
  return chunks.map((c, i) => ({
    run: { ...run, id: `${run.id}-part${i + 1}`.slice(0, 200) },
    ...(modules?.length ? { modules } : {}),
    results: c,
  }));
}

/**
 * A results file as `modcompat build --out` writes it: one body, or, when the run is larger than
 * one request, a JSON array of the parts chunkBodies made. Either way: its bodies, validated (an
 * issue's path starts with the part's index in an array).
 */
export function parseIngestFile(json: unknown) {
  return Array.isArray(json) ? ingestBodySchema.array().min(1).safeParse(json) : ingestBodySchema.transform((b): IngestBody[] => [b]).safeParse(json);
}
