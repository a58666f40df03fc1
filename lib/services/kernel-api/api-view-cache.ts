import { db } from "../../db/client";
import { apiView, type ApiView } from "../../domain/prediction";
import { loadKernelApi } from "./load-kernel-api";

/**
 * Decoded snapshots are ~25k-entry maps (about 40 ms to gunzip and index); predictions for a page
 * or a check reuse a few. Kept per process, at most 12, checked against the stored digest.
 */
const MAX = 12;
const cache = new Map<string, { digest: string; view: ApiView }>();

export async function apiViewOf(kernel: string): Promise<ApiView | null> {
  const row = await db().kernelApi.findUnique({ where: { kernel }, select: { digest: true } });
  if (!row) return null;
  const hit = cache.get(kernel);
  if (hit && hit.digest === row.digest) {
    cache.delete(kernel);
    cache.set(kernel, hit);
    return hit.view;
  }
  const snap = await loadKernelApi(kernel);
  if (!snap) return null;
  const view = apiView(snap);
  cache.set(kernel, { digest: row.digest, view });
  while (cache.size > MAX) cache.delete(cache.keys().next().value!);
  return view;
}
