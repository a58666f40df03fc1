import { isoUtc, pgRead } from "../db/client";
import { isGenericFlavour, seriesSortKey } from "../domain/kernel-version";
import { isUpcoming, upstreamOf } from "../domain/kernel-release";
import { foldKernelCells, groupBy, summariseGroup, type GroupSummary } from "../domain/matrix";
import type { Status } from "../domain/status";
import type { MatrixQuery } from "../schemas/query";
import { notFound } from "./errors";
import type { KernelRow } from "./get-matrix-compact";

export interface MatrixVersion {
  id: number;
  version: string;
  releasedAt: Date | null;
  releasedAtSource: string | null;
  declaredKernelMin: string | null;
  declaredKernelMax: string | null;
  /** false for a version known without any result (its declared range only, e.g. from OpenZFS META) */
  hasResults: boolean;
}
export interface MatrixKernel {
  id: number;
  version: string;
  distro: string;
  flavour: string | null;
  upstreamVersion: string | null;
  releasedAt: Date | null;
  releasedAtSource: string | null;
  upcoming: boolean;
}
export interface MatrixCell {
  versionId: number;
  kernelId: number;
  status: Status;
  arches: { arch: string; status: Status }[];
  errorLine: string | null;
}
export interface MatrixSeries {
  series: string;
  expanded: boolean;
  kernels: MatrixKernel[];
  /** per module version id */
  summary: Record<number, GroupSummary>;
}
/**
 * The JSON API's cap on cells per answer. 50,000 cells are about 5 MB of JSON; a 5,000-kernel
 * module with 38 versions has far fewer cells than boxes, since only measured cells are listed.
 */
export const MATRIX_API_MAX_CELLS = 50_000;

export interface MatrixLimits {
  maxCells: number;
  totalCells: number;
  /** cells were left out: the newest versions' cells are kept, in kernel order */
  truncated: boolean;
  narrow?: string;
}

export interface MatrixView {
  module: { slug: string; name: string; description: string | null; homepage: string | null };
  query: MatrixQuery;
  options: { arches: string[]; distros: string[]; flavours: string[]; series: string[] };
  /** newest first */
  versions: MatrixVersion[];
  series: MatrixSeries[];
  cells: MatrixCell[];
  limits: MatrixLimits;
}

/** The compatibility matrix of one module: versions newest first, kernels in kernel order. */
export async function getMatrix(slug: string, query: MatrixQuery = {}, opts: { maxCells?: number } = {}): Promise<MatrixView> {
  const maxCells = opts.maxCells ?? MATRIX_API_MAX_CELLS;
  // node-pg straight (pgRead): the matrix API is the most frequent read, and Prisma compiled a plan
  // for each of these four statements on every request. Timestamps travel as UTC ISO text (isoUtc).
  const [mod] = await pgRead<{ id: number; slug: string; name: string; description: string | null; homepage: string | null }>(
    `SELECT id, slug, name, description, homepage FROM "Module" WHERE slug = $1`,
    [slug],
  );
  if (!mod) throw notFound(`module "${slug}"`);
  // A compact row shape: at 100 versions × 400 kernels this reads 40,000 cells.
  const [versionRows, cellRows] = await Promise.all([
    pgRead<{ id: number; version: string; releasedAt: string | null; releasedAtSource: string | null; declaredKernelMin: string | null; declaredKernelMax: string | null }>(
      `SELECT id, version, ${isoUtc(`"releasedAt"`)} AS "releasedAt", "releasedAtSource", "declaredKernelMin", "declaredKernelMax"
       FROM "ModuleVersion" WHERE "moduleId" = $1 ORDER BY "sortKey" DESC`,
      [mod.id],
    ),
    pgRead<{ mv: number; k: number; arch: string; status: string; errorLine: string | null }>(
      `SELECT "moduleVersionId" AS mv, "kernelId" AS k, arch, status, "errorLine" FROM "Cell" WHERE "moduleId" = $1`,
      [mod.id],
    ),
  ]);
  const allVersions = versionRows.map((v) => ({ ...v, releasedAt: v.releasedAt === null ? null : new Date(v.releasedAt) }));
  const kernelRows = (
    await pgRead<KernelRow>(
      `SELECT id, version, "sortKey", series, "seriesKey", distro, flavour, rc, prerelease, "upstreamVersion", ${isoUtc(`"releasedAt"`)} AS "releasedAt", "releasedAtSource"
       FROM "Kernel" WHERE id = ANY($1::int[])`,
      [[...new Set(cellRows.map((c) => c.k))]],
    )
  ).map((k) => ({ ...k, releasedAt: k.releasedAt === null ? null : new Date(k.releasedAt) }));
  const built = new Set(cellRows.map((c) => c.mv));
  const versions = allVersions.map((v) => ({ ...v, hasResults: built.has(v.id) }));
  const kernelById = new Map(kernelRows.map((k) => [k.id, k]));
  const rawCells = cellRows.map((c) => ({ moduleVersionId: c.mv, arch: c.arch, status: c.status as Status, errorLine: c.errorLine, kernel: kernelById.get(c.k)! }));
  const options = {
    arches: [...new Set(rawCells.map((c) => c.arch))].sort(),
    distros: [...new Set(rawCells.map((c) => c.kernel.distro))].sort(),
    flavours: [...new Set(rawCells.flatMap((c) => (c.kernel.flavour ? [c.kernel.flavour] : [])))].sort(),
    series: [...new Map(rawCells.map((c) => [c.kernel.series, c.kernel.seriesKey])).entries()].sort((a, b) => cmp(a[1], b[1])).map(([s]) => s),
  };
  // Kernel.seriesKey is written with seriesSortKey (record-results.ts); compare like with like.
  const fromKey = query.from ? seriesSortKey(query.from) : null;
  const toKey = query.to ? seriesSortKey(query.to) : null;
  const special = query.flavours === "generic" && !query.flavour ? new Set(kernelRows.filter((k) => !isGenericFlavour(k.version)).map((k) => k.id)) : null;
  const selected = rawCells.filter(
    (c) =>
      (!special || !special.has(c.kernel.id)) &&
      (!query.arch || c.arch === query.arch) &&
      (!query.distro || c.kernel.distro === query.distro) &&
      (!query.flavour || c.kernel.flavour === query.flavour) &&
      (!fromKey || c.kernel.seriesKey >= fromKey) &&
      (!toKey || c.kernel.seriesKey <= toKey),
  );

  const byCell = groupBy(selected, (c) => `${c.moduleVersionId}:${c.kernel.id}`);
  const cells: MatrixCell[] = [...byCell.values()].map((group) => {
    const { status, arches, decisive } = foldKernelCells(group)!;
    return { versionId: group[0].moduleVersionId, kernelId: group[0].kernel.id, status, arches, errorLine: decisive.errorLine };
  });

  const kernels = [...new Map(selected.map((c) => [c.kernel.id, c.kernel])).values()].sort((a, b) => cmp(a.sortKey, b.sortKey));
  const expand = new Set(query.expand ?? []);
  const seriesMap = new Map<string, typeof kernels>();
  for (const k of kernels) {
    const list = seriesMap.get(k.series);
    if (list) list.push(k);
    else seriesMap.set(k.series, [k]);
  }
  const statusAt = new Map(cells.map((c) => [`${c.versionId}:${c.kernelId}`, c.status]));
  const series: MatrixSeries[] = [...seriesMap.entries()].map(([name, ks]) => ({
    series: name,
    expanded: expand.has(name),
    kernels: ks.map(matrixKernel),
    summary: Object.fromEntries(
      versions.map((v) => [v.id, summariseGroup(ks.flatMap((k) => statusAt.get(`${v.id}:${k.id}`) ?? []))]),
    ),
  }));

  const truncated = cells.length > maxCells;
  let shownCells = cells;
  if (truncated) {
    const versionRank = new Map(versions.map((v, i) => [v.id, i]));
    const kernelRank = new Map(kernels.map((k, i) => [k.id, i]));
    shownCells = [...cells]
      .sort((a, b) => versionRank.get(a.versionId)! - versionRank.get(b.versionId)! || kernelRank.get(a.kernelId)! - kernelRank.get(b.kernelId)!)
      .slice(0, maxCells);
  }
  return {
    module: { slug: mod.slug, name: mod.name, description: mod.description, homepage: mod.homepage },
    query,
    options,
    versions,
    series,
    cells: shownCells,
    limits: {
      maxCells,
      totalCells: cells.length,
      truncated,
      ...(truncated ? { narrow: "narrow with from/to (series range), distro, flavour or arch; series summaries cover every cell" } : {}),
    },
  };
}

/** A kernel row as the matrix shows it: its Linux version (upstreamOf) and whether it is upcoming (isUpcoming). */
export function matrixKernel(k: {
  id: number;
  version: string;
  distro: string;
  flavour: string | null;
  upstreamVersion: string | null;
  rc: number | null;
  prerelease: boolean;
  releasedAt: Date | null;
  releasedAtSource: string | null;
}): MatrixKernel {
  return {
    id: k.id,
    version: k.version,
    distro: k.distro,
    flavour: k.flavour,
    upstreamVersion: upstreamOf(k),
    releasedAt: k.releasedAt,
    releasedAtSource: k.releasedAtSource,
    upcoming: isUpcoming(k),
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
