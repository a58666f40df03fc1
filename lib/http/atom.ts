/** An Atom document (rendered by lib/services/regressions/atom.ts) as the HTTP answer. */
export function atomResponse(xml: string): Response {
  return new Response(xml, { headers: { "content-type": "application/atom+xml; charset=utf-8", "cache-control": "public, max-age=300" } });
}
