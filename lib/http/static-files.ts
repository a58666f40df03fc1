/**
 * Next's build files (`/_next/static/…`: scripts, styles, fonts) answered by the front of
 * `npm start` (lib/http/front.ts) from memory, compressed once. A browser's first view of a page
 * fetches about ten of them; Next's server read and gzipped each one again per request, about 10 ms
 * of a reader's CPU per file (issue 11). The files are immutable (their names carry a content
 * hash), so they are kept for the life of the process: the directory of one build is about 1 MB.
 * Headers are those Next sends (`Cache-Control: public, max-age=31536000, immutable`, the type,
 * `Vary: Accept-Encoding`) plus the security headers every response gets (proxy.ts).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import { securityHeaders, servedOverHttps } from "./security-headers";

export const STATIC_PREFIX = "/_next/static/";

const TYPES: Record<string, string> = {
  ".js": "application/javascript; charset=UTF-8",
  ".mjs": "application/javascript; charset=UTF-8",
  ".css": "text/css; charset=UTF-8",
  ".json": "application/json; charset=UTF-8",
  ".map": "application/json; charset=UTF-8",
  ".txt": "text/plain; charset=UTF-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
};
/** Worth compressing: text. Fonts and images are compressed already. */
const TEXT = new Set([".js", ".mjs", ".css", ".json", ".map", ".txt", ".svg"]);

/** The content type of a file name, or null for kinds the build does not make (answered by Next then). */
export function contentTypeOf(name: string): string | null {
  return TYPES[path.extname(name).toLowerCase()] ?? null;
}

/**
 * The file a request path names, relative to the static directory, or null when it is not a plain
 * file path under it: no `..`, `.` or empty segments, no backslash, NUL or percent-escapes (build
 * file names need none), and a known type.
 */
export function staticFileOf(pathname: string): string | null {
  if (!pathname.startsWith(STATIC_PREFIX)) return null;
  const rel = pathname.slice(STATIC_PREFIX.length);
  if (rel === "" || /[\\%\0]/.test(rel)) return null;
  const parts = rel.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) return null;
  return contentTypeOf(rel) ? rel : null;
}

/** The encoding to send for an Accept-Encoding header: br, then gzip, else none. A coding with q=0 is refused. */
export function pickEncoding(acceptEncoding: string | undefined): "br" | "gzip" | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name, q ? Number(q[1]) : 1);
  }
  const ok = (coding: string) => (accepted.get(coding) ?? accepted.get("*") ?? 0) > 0;
  if (ok("br")) return "br";
  if (ok("gzip")) return "gzip";
  return null;
}

interface StaticFile {
  type: string;
  etag: string;
  identity: Buffer;
  gzip: Buffer | null;
  br: Buffer | null;
}

/**
 * Serves `/_next/static/…` from `dir` (the build's `.next/static`). `handle` answers a request
 * and says true, or says false for a request that is not its business (then Next answers it: other
 * paths, methods other than GET and HEAD, names it does not know, files missing from the build).
 */
export function staticFiles(dir: string) {
  const files = new Map<string, Promise<StaticFile | null>>();
  let served = 0;

  async function load(rel: string): Promise<StaticFile | null> {
    let identity: Buffer;
    try {
      identity = await readFile(path.join(dir, rel));
    } catch {
      return null;
    }
    const text = TEXT.has(path.extname(rel).toLowerCase()) && identity.length > 256;
    const [gz, br] = text
      ? await Promise.all([
          promisify(gzip)(identity, { level: 9 }),
          promisify(brotliCompress)(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
        ])
      : [null, null];
    return { type: contentTypeOf(rel)!, etag: `"${createHash("sha256").update(identity).digest("base64url").slice(0, 27)}"`, identity, gzip: gz, br };
  }

  function get(rel: string): Promise<StaticFile | null> {
    let f = files.get(rel);
    if (!f) {
      f = load(rel);
      files.set(rel, f);
      // a file missing now may be there after a rebuild: ask again next time
      void f.then((x) => {
        if (!x) files.delete(rel);
      });
    }
    return f;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const url = req.url ?? "";
    const q = url.indexOf("?");
    const rel = staticFileOf(q < 0 ? url : url.slice(0, q));
    if (!rel) return false;
    const file = await get(rel);
    if (!file) return false;
    served += 1;
    const proto = req.headers["x-forwarded-proto"];
    const https = servedOverHttps((req.socket as { encrypted?: boolean }).encrypted === true, Array.isArray(proto) ? proto[0] : proto);
    const headers: Record<string, string | number> = {
      ...securityHeaders({ nonce: "", https, page: false }),
      "Cache-Control": "public, max-age=31536000, immutable",
      "Content-Type": file.type,
      ETag: file.etag,
    };
    if (file.gzip) headers.Vary = "Accept-Encoding";
    if (req.headers["if-none-match"]?.split(",").some((t) => t.trim().replace(/^W\//, "") === file.etag)) {
      res.writeHead(304, headers).end();
      return true;
    }
    const encoding = file.gzip ? pickEncoding(req.headers["accept-encoding"] as string | undefined) : null;
    const body = encoding === "br" ? file.br! : encoding === "gzip" ? file.gzip! : file.identity;
    if (encoding) headers["Content-Encoding"] = encoding;
    headers["Content-Length"] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  }

  return { handle, served: () => served };
}
