import { answer, parseQuery, readJsonBody, route } from "@/lib/http/route";
import { MAX_BODY_BYTES } from "@/lib/schemas/ingest";
import { kcidbImportQuerySchema } from "@/lib/schemas/query";
import { importKcidb } from "@/lib/services/kcidb/import-kcidb";
import { authenticateRequest } from "@/lib/http/auth";

export const dynamic = "force-dynamic";

/** POST /api/v1/import/kcidb: a KCIDB v5 document, mapped onto one run of results, all or nothing. */
export const POST = route(async (req) => {
  const token = await authenticateRequest(req);
  const { partial, ...defaults } = parseQuery(req, kcidbImportQuerySchema);
  const doc = await readJsonBody(req, MAX_BODY_BYTES);
  const out = await importKcidb(doc, { tokenId: token.id, token, defaults, partial });
  return answer(out, out.replayed ? 200 : 201);
});
