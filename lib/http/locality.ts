/**
 * Which reader process of `npm start` keeps what a read is made from (lib/http/front.ts routes by
 * it, lib/http/warm-up.ts warms by it): the same module or check goes to the same reader, so its
 * per-process caches serve it again.
 */

/**
 * What a read's answer is made from, where a server process keeps it for the next request: a
 * module, for its pages and API (matrix columns, predictions) and for a check of it alone (the
 * kept answer, its predictions); a check of several modules, by its kernel, modules and arch.
 * Other reads (and live probes such as health) have none, and go to the least busy reader.
 */
export function localityKey(target: string): string | null {
  const q = target.indexOf("?");
  const pathname = q < 0 ? target : target.slice(0, q);
  const m = /^\/(?:api\/v1\/)?modules\/([^/?#]+)/.exec(pathname);
  if (m) return `module ${decoded(m[1])}`;
  if (pathname === "/check" || pathname === "/api/v1/check") {
    const params = new URLSearchParams(q < 0 ? "" : target.slice(q + 1));
    if (params.has("dkms")) return `check ${params.toString()}`;
    const modules = params.getAll("module").map((x) => x.trim()).filter(Boolean);
    if (modules.length === 1) return `module ${modules[0].split("@")[0]}`;
    return `check ${params.get("kernel") ?? ""} ${params.get("arch") ?? ""} ${modules.sort().join(" ")}`;
  }
  return null;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * FNV-1a, 32 bits, then MurmurHash3's finaliser: a cheap, stable hash for rendezvous routing (not
 * for anything secret). Without the finaliser, names that differ in their last character
 * ("reader-1", "reader-2") differ mostly in the low bits, and one reader owned most keys.
 */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The owner of `key` among `names` by rendezvous hashing: the same name for as long as it is among
 * them; when one goes, only its keys move, spread over the others.
 */
export function ownerOf(key: string, names: readonly string[]): string | undefined {
  let own: string | undefined;
  let best = -1;
  for (const name of names) {
    const score = hash32(`${key}\u0000${name}`);
    if (score > best) [own, best] = [name, score];
  }
  return own;
}
