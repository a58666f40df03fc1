import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { db } from "../../db/client";
import { decodeSymbols, encodeHeaders, encodeSymbols } from "../../domain/kernel-api";
import { readHeadersDir } from "./read-headers-dir";
import type { SnapshotTexts } from "./snapshot-file";

export interface ImportKernelApiResult {
  kernel: string;
  dir: string;
  trees: string[];
  symbols: number;
  gplOnly: number;
  namespaced: number;
  headers: number;
  callables: number;
  rejectedLines: number;
  /** bytes stored (both gzip columns) and bytes of the plain encodings */
  storedBytes: number;
  plainBytes: number;
  ms: number;
  unchanged: boolean;
}

export interface SnapshotCounts {
  symbols: number;
  gplOnly: number;
  namespaced: number;
  headers: number;
  callables: number;
}

export function snapshotDigest(t: SnapshotTexts): string {
  return createHash("sha256").update(t.symbols).update("\0").update(t.headers).update("\0").update(t.callables).digest("hex");
}

/** The counts KernelApi keeps beside the blobs, from the encodings themselves. */
export function snapshotCounts(t: SnapshotTexts): SnapshotCounts {
  const symbols = decodeSymbols(t.symbols);
  const lines = (s: string) => (s === "" ? 0 : s.split("\n").length);
  return {
    symbols: symbols.length,
    gplOnly: symbols.filter((s) => s.gplOnly).length,
    namespaced: symbols.filter((s) => s.namespace !== "").length,
    headers: lines(t.headers),
    callables: lines(t.callables),
  };
}

/** Read a headers dir into the stored encodings (no database). */
export async function readSnapshot(opts: { dir: string; kernel?: string }) {
  const api = await readHeadersDir(opts.dir, opts.kernel);
  const texts: SnapshotTexts = { symbols: encodeSymbols(api.symbols), headers: encodeHeaders(api.headers), callables: encodeHeaders(api.callables) };
  return { api, texts, counts: snapshotCounts(texts), digest: snapshotDigest(texts) };
}

/**
 * Store (or replace) a kernel's snapshot; one with the same digest is left alone (before any gzip).
 * `expectedDigest` (a snapshot file's sha256) must match the texts.
 */
export async function storeSnapshot(kernel: string, texts: SnapshotTexts, sourceDir: string, importedAt = new Date(), expectedDigest?: string) {
  const digest = snapshotDigest(texts);
  if (expectedDigest && expectedDigest !== digest) throw new Error(`snapshot of ${kernel}: sha256 ${digest} differs from the recorded ${expectedDigest}`);
  const before = await db().kernelApi.findUnique({ where: { kernel }, select: { digest: true } });
  if (before?.digest === digest) return { unchanged: true, storedBytes: 0, digest };
  const symbols = gzipSync(texts.symbols, { level: 9 });
  const headers = gzipSync(texts.headers, { level: 9 });
  const callables = gzipSync(texts.callables, { level: 9 });
  const storedBytes = symbols.length + headers.length + callables.length;
  const c = snapshotCounts(texts);
  const data = {
    symbolCount: c.symbols,
    gplOnlyCount: c.gplOnly,
    namespacedCount: c.namespaced,
    headerCount: c.headers,
    callableCount: c.callables,
    symbols,
    headers,
    callables,
    digest,
    sourceDir,
    importedAt,
  };
  await db().kernelApi.upsert({ where: { kernel }, create: { kernel, ...data }, update: data });
  return { unchanged: false, storedBytes, digest };
}

/** `modcompat kernel-api import DIR`: read a headers dir and store (or replace) its snapshot. */
export async function importKernelApi(opts: { dir: string; kernel?: string }): Promise<ImportKernelApiResult> {
  const started = Date.now();
  const { api, texts, counts } = await readSnapshot(opts);
  const stored = await storeSnapshot(api.kernel, texts, api.dir);
  return {
    kernel: api.kernel,
    dir: api.dir,
    trees: api.trees,
    symbols: counts.symbols,
    gplOnly: counts.gplOnly,
    namespaced: counts.namespaced,
    headers: counts.headers,
    callables: counts.callables,
    rejectedLines: api.rejectedLines,
    storedBytes: stored.storedBytes,
    plainBytes: Buffer.byteLength(texts.symbols) + Buffer.byteLength(texts.headers) + Buffer.byteLength(texts.callables),
    ms: Date.now() - started,
    unchanged: stored.unchanged,
  };
}
