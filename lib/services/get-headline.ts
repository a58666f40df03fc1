import { db } from "../db/client";
import { computeHeadline, type Headline } from "../domain/headline";
import { kernelLine } from "../domain/kernel-version";
import type { Status } from "../domain/status";

/**
 * The landing page's headline: compare the newest kernel of the oldest and of the newest series
 * among the most-tested kernel line's kernels (for the demo: Debian 12 amd64, 6.1 vs 6.12).
 */
export async function getHeadline(): Promise<(Headline & { distro: string }) | null> {
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
    select: { status: true, kernel: { select: { version: true } }, module: { select: { slug: true } } },
  });
  const h = computeHeadline(
    cells.map((c) => ({ module: c.module.slug, kernel: c.kernel.version, status: c.status as Status })),
    from.version,
    to.version,
  );
  return { ...h, distro };
}
