import { gunzipSync } from "node:zlib";
import { db } from "../../db/client";
import { decodeHeaders, decodeSymbols, type ExportedSymbol } from "../../domain/kernel-api";

export interface KernelApiSnapshot {
  kernel: string;
  symbols: ExportedSymbol[];
  headers: string[];
  callables: string[];
  importedAt: Date;
  sourceDir: string;
}

export async function loadKernelApi(kernel: string): Promise<KernelApiSnapshot | null> {
  const row = await db().kernelApi.findUnique({ where: { kernel } });
  if (!row) return null;
  return {
    kernel: row.kernel,
    symbols: decodeSymbols(gunzipSync(row.symbols).toString("utf8")),
    headers: decodeHeaders(gunzipSync(row.headers).toString("utf8")),
    callables: decodeHeaders(gunzipSync(row.callables).toString("utf8")),
    importedAt: row.importedAt,
    sourceDir: row.sourceDir,
  };
}

/** The kernels that have a snapshot, with their counts (no blobs). */
export async function listKernelApis() {
  return db().kernelApi.findMany({
    select: { kernel: true, symbolCount: true, gplOnlyCount: true, namespacedCount: true, headerCount: true, callableCount: true, importedAt: true, sourceDir: true },
    orderBy: { kernel: "asc" },
  });
}
