import { db } from "../../db/client";
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

const UPCOMING = { OR: [{ prerelease: true }, { rc: { not: null } }] };

/**
 * Early warning on the upcoming kernels (rc and experimental) that have results: per kernel, which
 * modules that build on the last released series break there (lib/domain/upcoming.ts).
 */
export async function listUpcoming(opts: { limit?: number } = {}): Promise<UpcomingKernelReport[]> {
  const [upcoming, released] = await Promise.all([
    db().kernel.findMany({
      where: { ...UPCOMING, cells: { some: {} } },
      orderBy: { sortKey: "desc" },
      take: Math.min(opts.limit ?? MAX_UPCOMING, MAX_UPCOMING),
      select: { id: true, version: true, series: true, upstreamVersion: true, packageVersion: true, releasedAt: true, releasedAtSource: true },
    }),
    db().kernel.findMany({ where: { prerelease: false, rc: null, cells: { some: {} } }, select: { id: true, version: true, series: true } }),
  ]);
  const releasedKernels = released.map((k) => ({ kernel: k.version, series: k.series }));
  const out: UpcomingKernelReport[] = [];
  for (const k of upcoming) {
    const shell = upcomingReport({ kernel: k.version, series: k.series }, releasedKernels, []);
    const baseIds = shell.baseSeries ? released.filter((r) => r.series === shell.baseSeries).map((r) => r.id) : [];
    const cells = await db().cell.findMany({
      where: { kernelId: { in: [k.id, ...baseIds] }, status: { in: ["pass", "fail", "skip"] } },
      select: { status: true, errorLine: true, lastResultAt: true, kernelId: true, kernel: { select: { version: true, series: true } }, moduleVersion: { select: { version: true } }, module: { select: { slug: true } } },
    });
    const report = upcomingReport(
      { kernel: k.version, series: k.series },
      releasedKernels,
      cells.map((c) => ({
        module: c.module.slug,
        version: c.moduleVersion.version,
        kernel: c.kernel.version,
        series: c.kernel.series,
        upcoming: c.kernelId === k.id,
        status: c.status as Status,
        errorLine: c.errorLine,
      })),
    );
    const name = upcomingName(k);
    const onIt = cells.filter((c) => c.kernelId === k.id).map((c) => c.lastResultAt.getTime());
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
