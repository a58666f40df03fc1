import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { db } from "../../db/client";
import { encodeHeaders, encodeSymbols } from "../../domain/kernel-api";
import { readHeadersDir } from "./read-headers-dir";

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

/** `modcompat kernel-api import DIR`: read a headers dir and store (or replace) its snapshot. */
export async function importKernelApi(opts: { dir: string; kernel?: string }): Promise<ImportKernelApiResult> {
  const started = Date.now();
  const api = await readHeadersDir(opts.dir, opts.kernel);
  const symbolsText = encodeSymbols(api.symbols);
  const headersText = encodeHeaders(api.headers);
  const callablesText = encodeHeaders(api.callables);
  const digest = createHash("sha256").update(symbolsText).update("\0").update(headersText).update("\0").update(callablesText).digest("hex");
  const callables = gzipSync(callablesText, { level: 9 });
  const symbols = gzipSync(symbolsText, { level: 9 });
  const headers = gzipSync(headersText, { level: 9 });
  const counts = {
    symbolCount: api.symbols.length,
    gplOnlyCount: api.symbols.filter((s) => s.gplOnly).length,
    namespacedCount: api.symbols.filter((s) => s.namespace !== "").length,
    headerCount: new Set(api.headers).size,
    callableCount: new Set(api.callables).size,
  };
  const before = await db().kernelApi.findUnique({ where: { kernel: api.kernel }, select: { digest: true } });
  const unchanged = before?.digest === digest;
  if (!unchanged) {
    const data = { ...counts, symbols, headers, callables, digest, sourceDir: api.dir, importedAt: new Date() };
    await db().kernelApi.upsert({ where: { kernel: api.kernel }, create: { kernel: api.kernel, ...data }, update: data });
  }
  return {
    kernel: api.kernel,
    dir: api.dir,
    trees: api.trees,
    symbols: counts.symbolCount,
    gplOnly: counts.gplOnlyCount,
    namespaced: counts.namespacedCount,
    headers: counts.headerCount,
    callables: counts.callableCount,
    rejectedLines: api.rejectedLines,
    storedBytes: symbols.length + headers.length + callables.length,
    plainBytes: Buffer.byteLength(symbolsText) + Buffer.byteLength(headersText) + Buffer.byteLength(callablesText),
    ms: Date.now() - started,
    unchanged,
  };
}
