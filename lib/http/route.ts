import { z } from "zod";
import { AppError, issuesFromZod, toAppError } from "../services/errors";
import { unstorableText } from "../schemas/storable";
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "../db/availability";
import { withAbortSignal } from "../db/abortable";

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
    {
      status: err.status,
      headers: { "cache-control": "no-store", ...(err.retryAfterSeconds !== undefined ? { "retry-after": String(err.retryAfterSeconds) } : {}) },
    },
  );
}

/**
 * Reads stop when their client goes away: Next aborts `request.signal` when the connection closes
 * before the answer was sent, and lib/db/abortable.ts then cancels the handler's running query and
 * refuses it further connections. Writes are not bound to it: what an ingest stores must not
 * depend on when its client hung up (it either commits whole or rolls back whole, as before).
 */
const STOPS_WITH_CLIENT = new Set(["GET", "HEAD"]);

/** Nobody reads this answer; the status (nginx's "client closed request") only names it in logs. */
const clientGone = () => new Response(null, { status: 499, headers: { "cache-control": "no-store" } });

/**
 * The one wrapper every route handler goes through: runs the handler, serialises its result as
 * JSON (or passes a Response through), and maps every thrown error to
 * `{ error: { code, message, issues? } }`. Unknown errors become a 500 that hides internals.
 */
export function route(handler: (req: Request, params: Params) => Promise<unknown>) {
  return async (req: Request, ctx: RouteCtx): Promise<Response> => {
    try {
      const params = ctx?.params ? await ctx.params : {};
      // Nothing stored has a NUL or a lone surrogate in its name, so such a path names nothing.
      for (const v of Object.values(params).flat()) {
        if (typeof v === "string" && unstorableText(v)) throw new AppError("not_found", "no such resource (the path contains a NUL or an invalid character)");
      }
      const stops = STOPS_WITH_CLIENT.has(req.method) && req.signal;
      const out = stops ? await withAbortSignal(stops, () => handler(req, params)) : await handler(req, params);
      if (out instanceof Response) return out;
      if (out && typeof out === "object" && "__answer" in out) {
        const a = out as unknown as Handled;
        return Response.json(a.body, { status: a.status ?? 200, headers: a.headers });
      }
      return Response.json(out);
    } catch (err) {
      if (STOPS_WITH_CLIENT.has(req.method) && req.signal?.aborted) return clientGone();
      const known = toAppError(err);
      if (known) return errorResponse(known);
      if (err instanceof z.ZodError) return errorResponse(new AppError("validation_failed", "invalid request", issuesFromZod(err.issues)));
      if (isDatabaseUnavailable(err)) {
        console.error("[api] database unavailable:", err instanceof Error ? err.message.split("\n").at(-1) : err);
        return errorResponse(
          new AppError("unavailable", "the database is unavailable right now; nothing was stored, retry later", undefined, { cause: err, retryAfterSeconds: RETRY_AFTER_SECONDS }),
        );
      }
      if (err instanceof URIError) return errorResponse(new AppError("bad_request", `malformed URL: ${err.message}`));
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
  const bad = [...url.searchParams.entries()].flatMap(([k, v]) => {
    const why = unstorableText(k) ?? unstorableText(v);
    return why ? [{ path: k.replaceAll("\0", "\\0"), message: why }] : [];
  });
  if (bad.length) throw new AppError("validation_failed", "invalid query parameters", bad);
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
  // JSON is UTF-8 (RFC 8259); a body declared as latin1 would otherwise be decoded as UTF-8 silently.
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) {
    throw new AppError("unsupported_media_type", `charset=${charset.slice(0, 40)} is not supported: send JSON as UTF-8`);
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
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (e) {
        // The client went away mid-body (ECONNRESET "aborted"): not a database failure, nothing stored.
        throw new AppError("bad_request", "the request body ended early (connection closed); nothing was stored", undefined, { cause: e });
      }
      const { done, value } = chunk;
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
