import { db } from "../../db/client";
import { compareKernels, kernelLine, lineLabel } from "../../domain/kernel-version";
import { isUpcoming, upstreamOf } from "../../domain/kernel-release";
import { observeCell, verdictChanges, type CellState, type Verdict } from "../../domain/regressions";
import type { Stage, Status } from "../../domain/status";
import { notFound } from "../errors";
import { toResultView, type ResultView } from "../result-view";

export interface CellHistoryArch {
  arch: string;
  /** pass / fail / flaky over all observations; null when only errors and skips were reported */
  state: CellState | null;
  changes: { at: Date; verdict: Verdict; previous: Verdict | null; resultId: number; errorLine: string | null }[];
}

export interface CellHistoryView {
  module: { slug: string; name: string };
  version: string;
  kernel: string;
  /** the kernel's Linux version and release date with its source, and the module version's date, when known */
  dates: {
    kernelUpstream: string | null;
    kernelReleasedAt: Date | null;
    kernelReleasedAtSource: string | null;
    kernelUpcoming: boolean;
    versionReleasedAt: Date | null;
    versionReleasedAtSource: string | null;
  };
  line: string;
  lineLabel: string;
  arches: CellHistoryArch[];
  /** neighbouring kernels of the same line on which this version has results */
  previousKernel: string | null;
  nextKernel: string | null;
  results: ResultView<{ id: number; source: string; externalId: string; url: string | null }>[];
}

/** Every result for one module version × kernel (× arch) over time, newest first. */
export async function getCellHistory(opts: { slug: string; version: string; kernel: string; arch?: string; limit?: number }): Promise<CellHistoryView> {
  const mv = await db().moduleVersion.findFirst({
    where: { version: opts.version, module: { slug: opts.slug } },
    select: { id: true, releasedAt: true, releasedAtSource: true, module: { select: { slug: true, name: true } } },
  });
  if (!mv) throw notFound(`version ${opts.version} of module "${opts.slug}"`);
  const kernel = await db().kernel.findUnique({
    where: { version: opts.kernel },
    select: { id: true, version: true, upstreamVersion: true, releasedAt: true, releasedAtSource: true, rc: true, prerelease: true },
  });
  if (!kernel) throw notFound(`kernel "${opts.kernel}"`);
  const rows = await db().result.findMany({
    where: { moduleVersionId: mv.id, kernelId: kernel.id, ...(opts.arch ? { arch: opts.arch } : {}) },
    include: { run: { select: { id: true, source: true, externalId: true, url: true } } },
    orderBy: [{ finishedAt: "desc" }, { id: "desc" }],
    take: opts.limit ?? 500,
  });
  if (rows.length === 0) throw notFound(`results for ${opts.slug} ${opts.version} on ${opts.kernel}${opts.arch ? ` (${opts.arch})` : ""}`);

  const arches = [...new Set(rows.map((r) => r.arch))].sort().map((arch): CellHistoryArch => {
    const cell = observeCell(
      rows
        .filter((r) => r.arch === arch)
        .map((r) => ({ id: r.id, runId: r.runId, version: opts.version, kernel: kernel.version, arch, stage: r.stage as Stage, status: r.status as Status, finishedAt: r.finishedAt, errorLine: r.errorLine })),
    );
    return {
      arch,
      state: cell?.state ?? null,
      changes: cell ? verdictChanges(cell).map((c) => ({ at: c.at, verdict: c.verdict, previous: c.previous, resultId: c.resultId, errorLine: c.errorLine })) : [],
    };
  });

  const line = kernelLine(kernel.version);
  const siblings = await db().cell.findMany({ where: { moduleVersionId: mv.id }, select: { kernel: { select: { version: true } } }, distinct: ["kernelId"] });
  const sameLine = siblings.map((s) => s.kernel.version).filter((k) => kernelLine(k) === line).sort(compareKernels);
  const at = sameLine.indexOf(kernel.version);
  return {
    module: mv.module,
    version: opts.version,
    kernel: kernel.version,
    dates: {
      kernelUpstream: upstreamOf(kernel),
      kernelReleasedAt: kernel.releasedAt,
      kernelReleasedAtSource: kernel.releasedAtSource,
      kernelUpcoming: isUpcoming(kernel),
      versionReleasedAt: mv.releasedAt,
      versionReleasedAtSource: mv.releasedAtSource,
    },
    line,
    lineLabel: lineLabel(line),
    arches,
    previousKernel: at > 0 ? sameLine[at - 1] : null,
    nextKernel: at >= 0 && at < sameLine.length - 1 ? sameLine[at + 1] : null,
    results: rows.map(toResultView),
  };
}
