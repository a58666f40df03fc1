import { isoUtc, pgRead } from "../../db/client";
import { upcomingName } from "../../domain/kernel-release";
import { upcomingHeadline, upcomingReport, type UpcomingReport } from "../../domain/upcoming";
import type { Status } from "../../domain/status";

export interface UpcomingKernelReport extends UpcomingReport {
  /** "Linux 7.3-rc7" */
  name: string;
  headline: string;
  upstreamVersion: string | null;
  packageVersion: string | null;
  releasedAt: Date | null;
  releasedAtSource: string | null;
  /** newest result on it */
  lastResultAt: Date | null;
}

/** Upcoming kernels shown at once, newest first; older ones stay reachable through the matrix and the check. */
export const MAX_UPCOMING = 10;

/**
 * Early warning on the upcoming kernels (rc and experimental) that have results: per kernel, which
 * modules that build on the last released series break there (lib/domain/upcoming.ts). node-pg
 * straight (pgRead): on every landing page, and Prisma would load each relation of the cells with
 * a statement of its own and join them in Node.
 */
export async function listUpcoming(opts: { limit?: number } = {}): Promise<UpcomingKernelReport[]> {
  const hasCells = `EXISTS (SELECT 1 FROM "Cell" c WHERE c."kernelId" = k.id)`;
  const [upcomingRows, released] = await Promise.all([
    pgRead<{ id: number; version: string; series: string; upstreamVersion: string | null; packageVersion: string | null; releasedAt: string | null; releasedAtSource: string | null }>(
      `SELECT k.id, k.version, k.series, k."upstreamVersion", k."packageVersion", ${isoUtc(`k."releasedAt"`)} AS "releasedAt", k."releasedAtSource"
       FROM "Kernel" k WHERE (k.prerelease OR k.rc IS NOT NULL) AND ${hasCells}
       ORDER BY k."sortKey" DESC LIMIT $1`,
      [Math.min(opts.limit ?? MAX_UPCOMING, MAX_UPCOMING)],
    ),
    pgRead<{ id: number; version: string; series: string }>(`SELECT k.id, k.version, k.series FROM "Kernel" k WHERE NOT k.prerelease AND k.rc IS NULL AND ${hasCells}`, []),
  ]);
  const upcoming = upcomingRows.map((k) => ({ ...k, releasedAt: k.releasedAt === null ? null : new Date(k.releasedAt) }));
  const releasedKernels = released.map((k) => ({ kernel: k.version, series: k.series }));
  const out: UpcomingKernelReport[] = [];
  for (const k of upcoming) {
    const shell = upcomingReport({ kernel: k.version, series: k.series }, releasedKernels, []);
    const baseIds = shell.baseSeries ? released.filter((r) => r.series === shell.baseSeries).map((r) => r.id) : [];
    const cells = await pgRead<{ status: string; errorLine: string | null; lastResultAt: string; kernelId: number; kernel: string; series: string; version: string; module: string }>(
      `SELECT c.status, c."errorLine", ${isoUtc(`c."lastResultAt"`)} AS "lastResultAt", c."kernelId", k.version AS kernel, k.series, mv.version, m.slug AS module
       FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId" JOIN "ModuleVersion" mv ON mv.id = c."moduleVersionId" JOIN "Module" m ON m.id = c."moduleId"
       WHERE c."kernelId" = ANY($1::int[]) AND c.status IN ('pass', 'fail', 'skip')
       ORDER BY c."moduleVersionId", c."kernelId", c.arch`,
      [[k.id, ...baseIds]],
    );
    const report = upcomingReport(
      { kernel: k.version, series: k.series },
      releasedKernels,
      cells.map((c) => ({
        module: c.module,
        version: c.version,
        kernel: c.kernel,
        series: c.series,
        upcoming: c.kernelId === k.id,
        status: c.status as Status,
        errorLine: c.errorLine,
      })),
    );
    const name = upcomingName(k);
    const onIt = cells.filter((c) => c.kernelId === k.id).map((c) => Date.parse(c.lastResultAt));
    out.push({
      ...report,
      name,
      headline: upcomingHeadline(report, name),
      upstreamVersion: k.upstreamVersion,
      packageVersion: k.packageVersion,
      releasedAt: k.releasedAt,
      releasedAtSource: k.releasedAtSource,
      lastResultAt: onIt.length ? new Date(Math.max(...onIt)) : null,
    });
  }
  return out;
}
