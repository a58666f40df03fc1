/**
 * The landing page's reads as they were before issue 11 moved them to node-pg (pgRead): through
 * Prisma, relations loaded by Prisma. Kept only as the reference the new reads must equal.
 */
import { db } from "@/lib/db/client";
import { computeHeadline, type Headline } from "@/lib/domain/headline";
import { kernelLine } from "@/lib/domain/kernel-version";
import type { Status } from "@/lib/domain/status";
import { upcomingName } from "@/lib/domain/kernel-release";
import { upcomingHeadline, upcomingReport } from "@/lib/domain/upcoming";
import { MAX_UPCOMING, type UpcomingKernelReport } from "@/lib/services/upcoming/list-upcoming";

/**
 * The landing page's headline: compare the newest kernel of the oldest and of the newest series
 * among the most-tested kernel line's kernels (for the demo: Debian 12 amd64, 6.1 vs 6.12).
 */
export async function getHeadlineByPrisma(): Promise<(Headline & { distro: string }) | null> {
  const kernels = await db().kernel.findMany({
    // Released kernels only: an rc or experimental kernel is an early warning (/upcoming), not "the newest kernel".
    where: { cells: { some: {} }, prerelease: false, rc: null },
    select: { id: true, version: true, sortKey: true, seriesKey: true, distro: true, _count: { select: { cells: true } } },
  });
  if (kernels.length < 2) return null;
  // Compare like with like: the kernels of one line (kernelLine: distro and flavour, e.g. Debian
  // amd64, not rt), the line with the most cells.
  const weight = new Map<string, number>();
  for (const k of kernels) weight.set(kernelLine(k.version), (weight.get(kernelLine(k.version)) ?? 0) + k._count.cells);
  const [lineName] = [...weight.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  const line = kernels.filter((k) => kernelLine(k.version) === lineName).sort((a, b) => (a.sortKey < b.sortKey ? -1 : 1));
  const distro = line[0].distro;
  const oldestSeries = line[0].seriesKey;
  const newestSeries = line[line.length - 1].seriesKey;
  if (oldestSeries === newestSeries) return null;
  const from = line.filter((k) => k.seriesKey === oldestSeries).at(-1)!;
  const to = line.at(-1)!;
  const cells = await db().cell.findMany({
    where: { kernelId: { in: [from.id, to.id] } },
    select: { status: true, kernel: { select: { version: true } }, moduleVersion: { select: { module: { select: { slug: true } } } } },
  });
  const h = computeHeadline(
    cells.map((c) => ({ module: c.moduleVersion.module.slug, kernel: c.kernel.version, status: c.status as Status })),
    from.version,
    to.version,
  );
  return { ...h, distro };
}




const UPCOMING = { OR: [{ prerelease: true }, { rc: { not: null } }] };

/**
 * Early warning on the upcoming kernels (rc and experimental) that have results: per kernel, which
 * modules that build on the last released series break there (lib/domain/upcoming.ts).
 */
export async function listUpcomingByPrisma(opts: { limit?: number } = {}): Promise<UpcomingKernelReport[]> {
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
      select: { status: true, errorLine: true, lastResultAt: true, kernelId: true, kernel: { select: { version: true, series: true } }, moduleVersion: { select: { version: true, module: { select: { slug: true } } } } },
    });
    const report = upcomingReport(
      { kernel: k.version, series: k.series },
      releasedKernels,
      cells.map((c) => ({
        module: c.moduleVersion.module.slug,
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
