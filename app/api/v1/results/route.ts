import { answer, readJsonBody, route } from "@/lib/http/route";
import { ingestBodySchema, MAX_BODY_BYTES } from "@/lib/schemas/ingest";
import { AppError, issuesFromZod } from "@/lib/services/errors";
import { authenticateRequest } from "@/lib/http/auth";
import { recordResults } from "@/lib/services/record-results";

export const dynamic = "force-dynamic";

/** POST /api/v1/results: one reporter run, stored all-or-nothing. */
export const POST = route(async (req) => {
  const token = await authenticateRequest(req);
  const json = await readJsonBody(req, MAX_BODY_BYTES);
  const parsed = ingestBodySchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError("validation_failed", "the body does not match the ingest schema; nothing was stored", issuesFromZod(parsed.error.issues));
  }
  const out = await recordResults(parsed.data, { tokenId: token.id, token });
  return answer(out, out.replayed ? 200 : 201);
});
