import { parseQuery, readJsonBody, route } from "@/lib/http/route";
import { checkBodySchema, checkQuerySchema, checkTextQuerySchema, MAX_DKMS_STATUS_CHARS } from "@/lib/schemas/check";
import { AppError, issuesFromZod } from "@/lib/services/errors";
import { answerCheck } from "@/lib/services/check/check-answer";

/** The answer comes serialised (kept whole while the data stays the same: check-answer.ts). */
const jsonAnswer = (body: string, cacheControl: string) =>
  new Response(body, { status: 200, headers: { "content-type": "application/json", "cache-control": cacheControl } });

export const dynamic = "force-dynamic";

const asList = (m: string | string[] | undefined) => (m === undefined ? undefined : Array.isArray(m) ? m : [m]);

/** GET /api/v1/check?kernel=6.12.107%2Bdeb12-amd64&module=zfs@2.2.4&module=v4l2loopback@0.12.7 */
export const GET = route(async (req) => {
  const q = parseQuery(req, checkQuerySchema);
  return jsonAnswer(await answerCheck({ kernel: q.kernel, modules: asList(q.module), arch: q.arch }), "public, max-age=60");
});

async function readText(req: Request): Promise<string> {
  const text = await req.text();
  if (text.length > MAX_DKMS_STATUS_CHARS) {
    throw new AppError("payload_too_large", `dkms status text of ${text.length} characters exceeds the limit of ${MAX_DKMS_STATUS_CHARS}`);
  }
  return text;
}

/**
 * POST /api/v1/check: JSON `{ kernel, module?, dkmsStatus?, arch? }`, or the raw `dkms status`
 * output as text/plain with `?kernel=` (and optionally `&arch=`) in the URL.
 */
export const POST = route(async (req) => {
  const type = req.headers.get("content-type") ?? "";
  if (/^text\/plain\b/i.test(type)) {
    const q = parseQuery(req, checkTextQuerySchema);
    return jsonAnswer(await answerCheck({ kernel: q.kernel, arch: q.arch, dkmsStatus: await readText(req) }), "no-store");
  }
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", `expected Content-Type: application/json or text/plain, got "${type || "(none)"}"`);
  }
  const json = await readJsonBody(req, MAX_DKMS_STATUS_CHARS * 2);
  const parsed = checkBodySchema.safeParse(json);
  if (!parsed.success) throw new AppError("validation_failed", "the body does not match the check schema", issuesFromZod(parsed.error.issues));
  const b = parsed.data;
  return jsonAnswer(await answerCheck({ kernel: b.kernel, modules: asList(b.module), dkmsStatus: b.dkmsStatus, arch: b.arch }), "no-store");
});
