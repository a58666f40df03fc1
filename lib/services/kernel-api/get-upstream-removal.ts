import { gunzipSync } from "node:zlib";
import { db } from "../../db/client";
import { isGenericFlavour, tryParseKernelVersion } from "../../domain/kernel-version";
import type { SignatureKind } from "../../domain/signature";
import { upstreamRemoval, type SnapshotPresence, type UpstreamRemoval } from "../../domain/upstream-removal";

/** Signature kinds the snapshots can tell about: exports (Module.symvers) and headers. */
const EXPORT_KINDS: ReadonlySet<SignatureKind> = new Set(["function", "symbol"]);
const HEADER_KINDS: ReadonlySet<SignatureKind> = new Set(["header"]);

const MAX = 200;
const cache = new Map<string, { digests: string; removal: UpstreamRemoval | null }>();

/**
 * Where a signature's symbol (an exported function or symbol) or header went away upstream, from
 * the kernel API snapshots (issue 13): which generic-flavour snapshots have it, judged by
 * upstreamRemoval. Bounded by the snapshots available. Null for other kinds and for names still in
 * the newest snapshot. The stored texts are searched without decoding them (one gunzip each), and
 * answers are kept per name while the set of snapshots (their digests) stays the same.
 */
export async function getUpstreamRemoval(signature: { symbol: string; kind: SignatureKind }): Promise<UpstreamRemoval | null> {
  const header = HEADER_KINDS.has(signature.kind);
  if (!header && !EXPORT_KINDS.has(signature.kind)) return null;
  const rows = (await db().kernelApi.findMany({ select: { kernel: true, digest: true }, orderBy: { kernel: "asc" } })).filter(
    (r) => tryParseKernelVersion(r.kernel).ok && isGenericFlavour(r.kernel),
  );
  const key = `${signature.kind}:${signature.symbol}`;
  const digests = rows.map((r) => r.digest).join(",");
  const kept = cache.get(key);
  if (kept && kept.digests === digests) return kept.removal;
  // Stored sorted by name, one a line: "name\t…" for symbols (encodeSymbols), "path" for headers.
  const needle = header ? `\n${signature.symbol}\n` : `\n${signature.symbol}\t`;
  const presence: SnapshotPresence[] = [];
  for (const r of rows) {
    const blob = header
      ? (await db().kernelApi.findUnique({ where: { kernel: r.kernel }, select: { headers: true } }))?.headers
      : (await db().kernelApi.findUnique({ where: { kernel: r.kernel }, select: { symbols: true } }))?.symbols;
    if (!blob) continue;
    const text = gunzipSync(blob).toString("utf8");
    presence.push({ kernel: r.kernel, present: `\n${text}\n`.includes(needle) });
  }
  const removal = upstreamRemoval(presence);
  cache.delete(key);
  cache.set(key, { digests, removal });
  while (cache.size > MAX) cache.delete(cache.keys().next().value!);
  return removal;
}
