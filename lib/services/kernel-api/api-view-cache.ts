import { gunzipSync } from "node:zlib";
import { pgRead } from "../../db/client";
import { apiViewOfTexts, type ApiView } from "../../domain/prediction";

/**
 * Snapshot views (apiViewOfTexts: indexes over the stored texts, about 3 MB and a few ms to make
 * each, most of it gunzip) kept per process while their digest stays the same. Predictions for a
 * page or a check read a few snapshots, an expanded series up to eight: keeping them all (the demo
 * has 36) is what keeps predictions cheap on a server whose pages range over every series. Bounded
 * by the bytes of text kept, least recently used first out. Requests that need a snapshot being
 * made wait for it instead of making it again. One cache per process (globalThis), not per bundled
 * copy of this file.
 */
const MAX_TEXT_BYTES = 192 * 1024 * 1024;

interface Kept {
  digest: string;
  view: ApiView;
  bytes: number;
}
const g = globalThis as unknown as { __modcompatApiViews?: { kept: Map<string, Kept>; bytes: number; making: Map<string, Promise<Kept | null>> } };
const state = (g.__modcompatApiViews ??= { kept: new Map(), bytes: 0, making: new Map() });

export async function apiViewOf(kernel: string): Promise<ApiView | null> {
  const [row] = await pgRead<{ digest: string }>(`SELECT digest FROM "KernelApi" WHERE kernel = $1`, [kernel]);
  if (!row) return null;
  const hit = state.kept.get(kernel);
  if (hit && hit.digest === row.digest) {
    state.kept.delete(kernel);
    state.kept.set(kernel, hit);
    return hit.view;
  }
  const key = `${kernel}\n${row.digest}`;
  let making = state.making.get(key);
  if (!making) {
    making = make(kernel).finally(() => state.making.delete(key));
    state.making.set(key, making);
  }
  return (await making)?.view ?? null;
}

async function make(kernel: string): Promise<Kept | null> {
  const [row] = await pgRead<{ digest: string; symbols: Buffer; headers: Buffer; callables: Buffer }>(
    `SELECT digest, symbols, headers, callables FROM "KernelApi" WHERE kernel = $1`,
    [kernel],
  );
  if (!row) return null;
  const texts = { symbols: gunzipSync(row.symbols).toString("utf8"), headers: gunzipSync(row.headers).toString("utf8"), callables: gunzipSync(row.callables).toString("utf8") };
  const made: Kept = { digest: row.digest, view: apiViewOfTexts(texts), bytes: texts.symbols.length + texts.headers.length + texts.callables.length };
  const before = state.kept.get(kernel);
  if (before) state.bytes -= before.bytes;
  state.kept.delete(kernel);
  state.kept.set(kernel, made);
  state.bytes += made.bytes;
  for (const [k, e] of state.kept) {
    if (state.bytes <= MAX_TEXT_BYTES || k === kernel) break;
    state.kept.delete(k);
    state.bytes -= e.bytes;
  }
  return made;
}

/** How many snapshot views this process keeps, and their text bytes (tests, benchmarks). */
export function apiViewsKept(): { views: number; bytes: number } {
  return { views: state.kept.size, bytes: state.bytes };
}

/** Forget the kept views (benchmarks of the uncached path, tests). */
export function forgetApiViews(): void {
  state.kept.clear();
  state.bytes = 0;
}
