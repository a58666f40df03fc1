import { answer, parseQuery, route } from "@/lib/http/route";
import { MAX_BODY_BYTES } from "@/lib/schemas/ingest";
import { junitImportQuerySchema } from "@/lib/schemas/query";
import { AppError } from "@/lib/services/errors";
import { importJunit } from "@/lib/services/junit/import-junit";
import { authenticateRequest } from "@/lib/http/auth";

export const dynamic = "force-dynamic";

/** POST /api/v1/import/junit: a JUnit XML report (application/xml or text/xml); module, version, kernel by query or testcase properties. */
export const POST = route(async (req) => {
  const token = await authenticateRequest(req);
  const { partial, source, run, url, ...defaults } = parseQuery(req, junitImportQuerySchema);
  const type = req.headers.get("content-type") ?? "";
  if (!/^(application|text)\/(?:[\w.+-]+\+)?xml\b/i.test(type)) {
    throw new AppError("unsupported_media_type", `expected Content-Type: application/xml, got "${type || "(none)"}"`);
  }
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw new AppError("payload_too_large", `body of ${declared} bytes exceeds the limit of ${MAX_BODY_BYTES} bytes`);
  const xml = await req.text();
  if (Buffer.byteLength(xml) > MAX_BODY_BYTES) throw new AppError("payload_too_large", `body exceeds the limit of ${MAX_BODY_BYTES} bytes`);
  const out = await importJunit(xml, { tokenId: token.id, token, defaults, source, runId: run, url, partial });
  return answer(out, out.replayed ? 200 : 201);
});
