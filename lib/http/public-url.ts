/**
 * The base URL that links in feeds (Atom) point to (publicUrl below builds them). Behind a reverse
 * proxy `req.url` names the app's own listen address (http://localhost:3000), which subscribers
 * elsewhere cannot open.
 * In order:
 *  1. MODCOMPAT_PUBLIC_URL (http or https, e.g. https://modcompat.example.org or …/modcompat);
 *  2. X-Forwarded-Host with X-Forwarded-Proto (first entries; a proxy that sets them should
 *     overwrite what clients send);
 *  3. Host, with the request's own scheme;
 *  4. the request URL's origin.
 * Header values are only taken when they are a syntactically valid host[:port] (and proto http or
 * https), so a forged header cannot put markup, paths or other schemes into the links.
 */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function isValidHost(host: string): boolean {
  if (host.length > 255 || !HOST.test(host)) return false;
  const port = /:(\d+)$/.exec(host.replace(/^\[[^\]]*\]/, ""))?.[1];
  return port === undefined || Number(port) <= 65535;
}

const firstEntry = (v: string | null) => v?.split(",")[0]?.trim() || null;

export function publicBaseUrl(req: Pick<Request, "url" | "headers">, env: Record<string, string | undefined> = process.env): string {
  const configured = env.MODCOMPAT_PUBLIC_URL?.trim();
  if (configured) {
    try {
      const u = new URL(configured);
      if ((u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password) return `${u.origin}${u.pathname.replace(/\/+$/, "")}`;
    } catch {
      // fall through: an invalid setting is ignored, like an absent one
    }
  }
  const own = new URL(req.url);
  const forwardedHost = firstEntry(req.headers.get("x-forwarded-host"));
  if (forwardedHost && isValidHost(forwardedHost)) {
    const proto = firstEntry(req.headers.get("x-forwarded-proto"))?.toLowerCase();
    const scheme = proto === "http" || proto === "https" ? proto : own.protocol.replace(":", "");
    return `${scheme}://${forwardedHost.toLowerCase()}`;
  }
  const host = req.headers.get("host")?.trim();
  if (host && isValidHost(host)) return `${own.protocol}//${host.toLowerCase()}`;
  return own.origin;
}

/**
 * The one absolute-URL builder: an app path from lib/links.ts under the public base URL of this
 * request (the rules above). Feeds use it for every link and id.
 */
export function publicUrl(req: Pick<Request, "url" | "headers">, env: Record<string, string | undefined> = process.env): (path: string) => string {
  const base = publicBaseUrl(req, env);
  return (path) => `${base}${path}`;
}
