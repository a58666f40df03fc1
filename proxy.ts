import { NextResponse, type NextRequest } from "next/server";
import { badUrlReason, isPagePath, securityHeaders, servedOverHttps } from "@/lib/http/security-headers";
import { clientAddress, isExpensiveRead, limiters } from "@/lib/http/rate-limit";
import { isWarmUpRequest } from "@/lib/http/warm-up-token";
import { databaseLikelyReachable } from "@/lib/db/reachability";
import { RETRY_AFTER_SECONDS } from "@/lib/db/availability";

/**
 * Runs before every request (Next 16 "proxy", formerly middleware): refuses URLs that cannot be
 * decoded or carry a NUL (400 instead of a 500 further in), and sets the security headers, with a
 * fresh CSP nonce per page request (lib/http/security-headers.ts).
 */
export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  const page = isPagePath(pathname);
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const https = servedOverHttps(request.nextUrl.protocol === "https:", request.headers.get("x-forwarded-proto"));
  const headers = securityHeaders({ nonce, https, page, dev: process.env.NODE_ENV === "development" });

  // nextUrl is already parsed; the raw request URL keeps the client's exact bytes.
  const raw = new URL(request.url);
  const bad = badUrlReason(raw.pathname, raw.search) ?? badUrlReason(pathname, search);
  if (bad) {
    const res = pathname.startsWith("/api/")
      ? NextResponse.json({ error: { code: "bad_request", message: `malformed URL: ${bad}` } }, { status: 400 })
      : new NextResponse(`400 Bad Request: malformed URL (${bad})\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    res.headers.set("cache-control", "no-store");
    return res;
  }

  if (isExpensiveRead(request.method, pathname) && !isWarmUpRequest(request.headers)) {
    const wait = limiters().expensive.take(clientAddress(request.headers));
    if (wait > 0) {
      const message = `too many expensive requests from your address; retry in ${wait} s`;
      const res = pathname.startsWith("/api/")
        ? NextResponse.json({ error: { code: "too_many_requests", message } }, { status: 429 })
        : new NextResponse(`429 Too Many Requests: ${message}\n`, { status: 429, headers: { "content-type": "text/plain; charset=utf-8" } });
      for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
      res.headers.set("retry-after", String(wait));
      res.headers.set("cache-control", "no-store");
      return res;
    }
  }

  // Pages read the database while rendering and cannot set a status of their own on failure.
  if (page && !databaseLikelyReachable()) {
    const res = new NextResponse(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Database unavailable · ModCompat</title></head><body><h1>503: the database is unavailable</h1><p>ModCompat cannot reach its database right now. Retry in ${RETRY_AFTER_SECONDS} seconds.</p></body></html>`,
      { status: 503, headers: { "content-type": "text/html; charset=utf-8" } },
    );
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    res.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
    res.headers.set("cache-control", "no-store");
    return res;
  }

  const requestHeaders = new Headers(request.headers);
  if (page) {
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]);
  }
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}

export const config = {
  // Every path, static files included: the headers test checks each route kind.
  matcher: "/:path*",
};
