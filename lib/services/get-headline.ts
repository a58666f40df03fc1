import { pgRead } from "../db/client";
import { computeHeadline, type Headline } from "../domain/headline";
import { kernelLine } from "../domain/kernel-version";
import type { Status } from "../domain/status";

/**
 * The landing page's headline: compare the newest kernel of the oldest and of the newest series
 * among the most-tested kernel line's kernels (for the demo: Debian 12 amd64, 6.1 vs 6.12).
 */
export async function getHeadline(): Promise<(Headline & { distro: string }) | null> {
  // node-pg straight (pgRead): Prisma loads a relation with a statement of its own and joins in
  // Node, and compiles every statement again; this is on every landing page.
  // Released kernels only: an rc or experimental kernel is an early warning (/upcoming), not "the newest kernel".
  const kernels = await pgRead<{ id: number; version: string; sortKey: string; seriesKey: string; distro: string; cells: number }>(
    `SELECT k.id, k.version, k."sortKey", k."seriesKey", k.distro, n.cells
     FROM "Kernel" k JOIN (SELECT "kernelId", count(*)::int AS cells FROM "Cell" GROUP BY "kernelId") n ON n."kernelId" = k.id
     WHERE k.prerelease = false AND k.rc IS NULL`,
    [],
  );
  if (kernels.length < 2) return null;
  // Compare like with like: the kernels of one line (kernelLine: distro and flavour, e.g. Debian
  // amd64, not rt), the line with the most cells.
  const weight = new Map<string, number>();
  for (const k of kernels) weight.set(kernelLine(k.version), (weight.get(kernelLine(k.version)) ?? 0) + k.cells);
  const [lineName] = [...weight.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  const line = kernels.filter((k) => kernelLine(k.version) === lineName).sort((a, b) => (a.sortKey < b.sortKey ? -1 : 1));
  const distro = line[0].distro;
  const oldestSeries = line[0].seriesKey;
  const newestSeries = line[line.length - 1].seriesKey;
  if (oldestSeries === newestSeries) return null;
  const from = line.filter((k) => k.seriesKey === oldestSeries).at(-1)!;
  const to = line.at(-1)!;
  const cells = await pgRead<{ status: string; kernel: string; module: string }>(
    `SELECT c.status, k.version AS kernel, m.slug AS module
     FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId" JOIN "Module" m ON m.id = c."moduleId"
     WHERE c."kernelId" = ANY($1::int[])`,
    [[from.id, to.id]],
  );
  const h = computeHeadline(
    cells.map((c) => ({ module: c.module, kernel: c.kernel, status: c.status as Status })),
    from.version,
    to.version,
  );
  return { ...h, distro };
}
