/**
 * Security headers of every response (pages, API, feeds, badges, static files, errors), set by
 * proxy.ts. Pure, so a unit test can read exactly what each route kind gets.
 *
 * Pages get a strict CSP with a fresh nonce per request: Next.js reads the nonce from the
 * request's Content-Security-Policy header and puts it on its own scripts (which is why every page
 * renders dynamically: app/layout.tsx reads the request headers). `'strict-dynamic'` lets those
 * scripts load their chunks. Styles allow `'unsafe-inline'`: recharts and React `style={}` write
 * style attributes, which cannot carry a nonce, and styles cannot run script.
 * Everything else (JSON, Atom, SVG badges) gets `default-src 'none'`: nothing in it may load or run.
 */
export interface SecurityHeaderInput {
  nonce: string;
  /** https as the client sees it (directly, or `X-Forwarded-Proto: https` from a TLS proxy) */
  https: boolean;
  /** a page (HTML) rather than an API answer or a static file */
  page: boolean;
  /** `next dev` needs eval for its fast refresh */
  dev?: boolean;
}

export function pageCsp(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const API_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Whether the client sees https: the connection's own scheme, or `X-Forwarded-Proto: https` from a TLS proxy. */
export function servedOverHttps(ownHttps: boolean, forwardedProto: string | null | undefined): boolean {
  return ownHttps || forwardedProto === "https";
}

export function securityHeaders(input: SecurityHeaderInput): Record<string, string> {
  const h: Record<string, string> = {
    "Content-Security-Policy": input.page ? pageCsp(input.nonce, input.dev) : API_CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  // Only over https: sent over plain http it is ignored by browsers and would be a lie in tests.
  if (input.https) h["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return h;
}

/** Which requests are pages: everything but the API and Next's own files. */
export function isPagePath(pathname: string): boolean {
  return !pathname.startsWith("/api/") && !pathname.startsWith("/_next/") && !/\.[a-z0-9]+$/i.test(pathname);
}

/**
 * A URL the app cannot route safely: broken percent-encoding (`%E0%A4%A`, `%FF`) or a NUL
 * anywhere. Such URLs used to reach decodeURIComponent or PostgreSQL and answer 500.
 */
export function badUrlReason(pathname: string, search: string): string | null {
  for (const [part, text] of [
    ["path", pathname],
    ["query", search],
  ] as const) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part === "query" ? text.replaceAll("+", " ") : text);
    } catch {
      return `the ${part} has invalid percent-encoding`;
    }
    if (decoded.includes("\0")) return `the ${part} contains a NUL character (%00)`;
  }
  return null;
}
