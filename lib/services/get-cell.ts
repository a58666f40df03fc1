import { db } from "../db/client";
import type { Stage, Status } from "../domain/status";
import { notFound } from "./errors";
import { toResultView, type ResultView } from "./result-view";

export interface CellDetail {
  module: string;
  version: string;
  kernel: string;
  arches: {
    arch: string;
    status: Status;
    stages: Partial<Record<Stage, Status>>;
    counts: { pass: number; fail: number; error: number; skip: number };
    lastResultAt: Date;
    errorLine: string | null;
    logUrl: string | null;
  }[];
  results: ResultView[];
}

/** Everything known about one module version × kernel: per-arch state and the raw results. */
export async function getCell(opts: { slug: string; version: string; kernel: string; limit?: number }): Promise<CellDetail> {
  const mv = await db().moduleVersion.findFirst({ where: { version: opts.version, module: { slug: opts.slug } }, select: { id: true } });
  if (!mv) throw notFound(`version ${opts.version} of module "${opts.slug}"`);
  const kernel = await db().kernel.findUnique({ where: { version: opts.kernel }, select: { id: true } });
  if (!kernel) throw notFound(`kernel "${opts.kernel}"`);
  const [cells, results] = await Promise.all([
    db().cell.findMany({ where: { moduleVersionId: mv.id, kernelId: kernel.id }, orderBy: { arch: "asc" } }),
    db().result.findMany({
      where: { moduleVersionId: mv.id, kernelId: kernel.id },
      orderBy: [{ finishedAt: "desc" }, { id: "desc" }],
      take: opts.limit ?? 50,
      include: { run: { select: { source: true, externalId: true, url: true } } },
    }),
  ]);
  if (cells.length === 0) throw notFound(`results for ${opts.slug} ${opts.version} on ${opts.kernel}`);
  return {
    module: opts.slug,
    version: opts.version,
    kernel: opts.kernel,
    arches: cells.map((c) => ({
      arch: c.arch,
      status: c.status as Status,
      stages: c.stages as Partial<Record<Stage, Status>>,
      counts: { pass: c.passCount, fail: c.failCount, error: c.errorCount, skip: c.skipCount },
      lastResultAt: c.lastResultAt,
      errorLine: c.errorLine,
      logUrl: c.logUrl,
    })),
    results: results.map(toResultView),
  };
}
