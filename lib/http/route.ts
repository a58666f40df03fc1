import { z } from "zod";
import { AppError, issuesFromZod, toAppError } from "../services/errors";

type Params = Record<string, string | string[] | undefined>;
export interface RouteCtx {
  params: Promise<Params>;
}

export interface Handled {
  body: unknown;
  status?: number;
  headers?: Record<string, string>;
}

/** Marks a handler result as a full JSON answer with its own status/headers. */
export const answer = (body: unknown, status = 200, headers?: Record<string, string>): Handled & { __answer: true } => ({
  body,
  status,
  headers,
  __answer: true,
});

function errorResponse(err: AppError): Response {
  return Response.json(
    { error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } },
    { status: err.status, headers: { "cache-control": "no-store" } },
  );
}

/**
 * The one wrapper every route handler goes through: runs the handler, serialises its result as
 * JSON (or passes a Response through), and maps every thrown error to
 * `{ error: { code, message, issues? } }`. Unknown errors become a 500 that hides internals.
 */
export function route(handler: (req: Request, params: Params) => Promise<unknown>) {
  return async (req: Request, ctx: RouteCtx): Promise<Response> => {
    try {
      const params = ctx?.params ? await ctx.params : {};
      const out = await handler(req, params);
      if (out instanceof Response) return out;
      if (out && typeof out === "object" && "__answer" in out) {
        const a = out as unknown as Handled;
        return Response.json(a.body, { status: a.status ?? 200, headers: a.headers });
      }
      return Response.json(out);
    } catch (err) {
      const known = toAppError(err);
      if (known) return errorResponse(known);
      if (err instanceof z.ZodError) return errorResponse(new AppError("validation_failed", "invalid request", issuesFromZod(err.issues)));
      console.error("[api] unhandled error", err);
      return errorResponse(new AppError("internal", "internal error; the server log has the details"));
    }
  };
}

/** Parse URL query parameters with a zod schema; repeated keys become arrays. */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const url = new URL(req.url);
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    raw[key] = all.length > 1 ? all : all[0];
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError("validation_failed", "invalid query parameters", issuesFromZod(parsed.error.issues));
  return parsed.data;
}

/** Read a JSON request body with a size cap, answering 413/415/400 as the API promises. */
export async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", `expected Content-Type: application/json, got "${type || "(none)"}"`);
  }
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new AppError("payload_too_large", `body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`);
  }
  const reader = req.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new AppError("payload_too_large", `body exceeds the limit of ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError("invalid_json", `malformed JSON: ${(e as Error).message}`, undefined, { cause: e });
  }
}
