import { apiChangeHeadline, headlinePair, type ApiChangeHeadline } from "../../domain/api-change-headline";
import { isUpcoming } from "../../domain/kernel-release";
import { compareKernels, kernelLine, seriesOf, tryParseKernelVersion } from "../../domain/kernel-version";
import { db, isoUtc, pgRead } from "../../db/client";
import { MAX_COMPARE_ITEMS } from "../../schemas/kernel-api";
import { compareKernelApis } from "./compare-kernel-apis";

/**
 * The landing page's API headline (lib/domain/api-change-headline). A compare costs two snapshot
 * decodes and the footprints (~0.2 s), so the answer is kept a minute per pair of snapshots.
 */
const TTL_MS = 60_000;
let cached: { key: string; at: number; value: ApiChangeHeadline } | null = null;

export async function getApiChangeHeadline(): Promise<ApiChangeHeadline | null> {
  // One statement through node-pg (pgRead): on every landing page; Prisma compiled and ran two.
  const rows = await pgRead<{ kernel: string; importedAt: string; prerelease: boolean }>(
    `SELECT a.kernel, ${isoUtc(`a."importedAt"`)} AS "importedAt", coalesce(k.prerelease, false) AS prerelease
     FROM "KernelApi" a LEFT JOIN "Kernel" k ON k.version = a.kernel ORDER BY a.kernel`,
    [],
  );
  const snaps = rows.map((r) => ({ kernel: r.kernel, importedAt: new Date(r.importedAt) }));
  const pre = new Set(rows.filter((r) => r.prerelease).map((r) => r.kernel));
  const upcoming = (k: string) => {
    const v = tryParseKernelVersion(k);
    return pre.has(k) || (v.ok && isUpcoming({ rc: v.value.rc, prerelease: false }));
  };
  const pair = headlinePair(
    snaps.map((s) => s.kernel),
    { compare: compareKernels, series: seriesOf, line: kernelLine, upcoming },
  );
  if (!pair) return null;
  const at = (k: string) => snaps.find((s) => s.kernel === k)?.importedAt.getTime() ?? 0;
  const key = `${pair.from}\t${at(pair.from)}\t${pair.to}\t${at(pair.to)}`;
  if (cached && cached.key === key && Date.now() - cached.at < TTL_MS) return cached.value;
  const [r, kernel] = await Promise.all([
    compareKernelApis({ from: pair.from, to: pair.to, used: "1", limit: MAX_COMPARE_ITEMS }),
    db().kernel.findUnique({ where: { version: pair.to }, select: { upstreamVersion: true } }),
  ]);
  const value = apiChangeHeadline({ ...pair, linux: kernel?.upstreamVersion, removed: r.counts.removedSymbols, removedSymbols: r.removedSymbols });
  cached = { key, at: Date.now(), value };
  return value;
}
