import { db } from "../db/client";
import { tryParseKernelVersion, type KernelVersion } from "../domain/kernel-version";
import { compareModuleVersions } from "../domain/module-version";
import { isUpcoming, upstreamOf } from "../domain/kernel-release";
import { foldKernelCells, groupBy } from "../domain/matrix";
import type { Status } from "../domain/status";
import type { KernelListQuery } from "../schemas/query";
import { AppError, notFound } from "./errors";

export interface KernelView {
  kernel: {
    version: string;
    parsed: KernelVersion;
    releasedAt: Date | null;
    releasedAtSource: string | null;
    /** the Linux version it carries, when known (lib/domain/kernel-release.ts upstreamOf) */
    upstreamVersion: string | null;
    package: string | null;
    packageVersion: string | null;
    /** an rc or experimental kernel */
    upcoming: boolean;
  };
  previous: string | null;
  next: string | null;
  modules: {
    slug: string;
    name: string;
    versions: { version: string; status: Status; arches: { arch: string; status: Status }[]; errorLine: string | null }[];
  }[];
  counts: Record<Status, number>;
}

/** Which module versions pass or fail on one kernel, with its neighbours in kernel order. */
export async function getKernel(version: string): Promise<KernelView> {
  const parsed = tryParseKernelVersion(version);
  if (!parsed.ok) throw new AppError("validation_failed", parsed.error, [{ path: "version", message: parsed.error }]);
  const kernel = await db().kernel.findUnique({ where: { version } });
  if (!kernel) throw notFound(`kernel "${version}"`);
  const [cells, prev, next] = await Promise.all([
    db().cell.findMany({
      where: { kernelId: kernel.id },
      select: { arch: true, status: true, errorLine: true, moduleVersion: { select: { version: true, module: { select: { slug: true, name: true } } } } },
    }),
    db().kernel.findFirst({ where: { sortKey: { lt: kernel.sortKey } }, orderBy: { sortKey: "desc" }, select: { version: true } }),
    db().kernel.findFirst({ where: { sortKey: { gt: kernel.sortKey } }, orderBy: { sortKey: "asc" }, select: { version: true } }),
  ]);
  const modules = new Map<string, KernelView["modules"][number]>();
  const byVersion = groupBy(
    cells.map((c) => ({ ...c, status: c.status as Status })),
    (c) => JSON.stringify([c.moduleVersion.module.slug, c.moduleVersion.version]),
  );
  for (const group of byVersion.values()) {
    const m = group[0].moduleVersion.module;
    const entry = modules.get(m.slug) ?? { slug: m.slug, name: m.name, versions: [] };
    modules.set(m.slug, entry);
    const { status, arches, decisive } = foldKernelCells(group)!;
    entry.versions.push({ version: group[0].moduleVersion.version, status, arches, errorLine: decisive.errorLine });
  }
  const counts: Record<Status, number> = { pass: 0, fail: 0, error: 0, skip: 0 };
  const list = [...modules.values()].sort((a, b) => (a.slug < b.slug ? -1 : 1));
  for (const m of list) {
    m.versions.sort((a, b) => compareModuleVersions(b.version, a.version));
    for (const v of m.versions) counts[v.status] += 1;
  }
  return {
    kernel: {
      version: kernel.version,
      parsed: parsed.value,
      releasedAt: kernel.releasedAt,
      releasedAtSource: kernel.releasedAtSource,
      upstreamVersion: upstreamOf(kernel),
      package: kernel.package,
      packageVersion: kernel.packageVersion,
      upcoming: isUpcoming(kernel),
    },
    previous: prev?.version ?? null,
    next: next?.version ?? null,
    modules: list,
    counts,
  };
}

/** Known kernels in kernel order (newest first), for pickers and the API. */
/** Known kernels, newest first, one page at a time (GET /api/v1/kernels). */
export async function listKernels(q: KernelListQuery) {
  const where = q.series ? { series: q.series } : {};
  const [rows, total] = await Promise.all([
    db().kernel.findMany({
      where,
      orderBy: [{ sortKey: "desc" }, { id: "desc" }],
      skip: q.offset,
      take: q.limit,
      select: { version: true, series: true, distro: true, upstreamVersion: true, releasedAt: true, rc: true, prerelease: true },
    }),
    db().kernel.count({ where }),
  ]);
  const kernels = rows.map((k) => ({ version: k.version, series: k.series, distro: k.distro, upstreamVersion: upstreamOf(k), releasedAt: k.releasedAt, upcoming: isUpcoming(k) }));
  return { kernels, total, limit: q.limit, offset: q.offset };
}
