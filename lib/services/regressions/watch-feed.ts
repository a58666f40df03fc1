import { db } from "../../db/client";
import { compareKernels, isSeries } from "../../domain/kernel-version";
import { observeCell, verdictChanges, type ResultInput } from "../../domain/regressions";
import type { Stage, Status } from "../../domain/status";
import type { WatchFeed, WatchFeedEntry } from "../../schemas/feeds";
import type { WatchQuery } from "../../schemas/regressions";
import { notFound } from "../errors";

/**
 * "Tell me when zfs 2.2 × 6.12 turns green": an entry each time a watched version × kernel × arch
 * changes between pass and fail. The kernel may be a series (every kernel of it, any distro) and the
 * version a prefix ("2.2" watches 2.2.x). Nothing matching yet is an empty feed, not an error: the
 * kernel or release being waited for may not exist yet. Rendered as Atom by lib/http/feeds.ts.
 */
export async function watchFeed(q: WatchQuery): Promise<WatchFeed> {
  const mod = await db().module.findUnique({ where: { slug: q.module }, select: { id: true, name: true } });
  if (!mod) throw notFound(`module "${q.module}"`);
  const versions = await db().moduleVersion.findMany({ where: { moduleId: mod.id }, select: { id: true, version: true } });
  const exact = versions.filter((v) => v.version === q.version);
  const watched = !q.version ? versions : exact.length > 0 ? exact : versions.filter((v) => v.version.startsWith(`${q.version}.`));
  const bySeries = isSeries(q.kernel);
  const rows = await db().result.findMany({
    where: {
      moduleVersionId: { in: watched.map((v) => v.id) },
      kernel: bySeries ? { series: q.kernel } : { version: q.kernel },
      ...(q.arch ? { arch: q.arch } : {}),
    },
    select: { id: true, runId: true, arch: true, stage: true, status: true, finishedAt: true, errorLine: true, logUrl: true, moduleVersion: { select: { version: true } }, kernel: { select: { version: true } } },
  });
  const cells = new Map<string, ResultInput[]>();
  const logUrls = new Map(rows.map((r) => [r.id, r.logUrl]));
  for (const r of rows) {
    const key = JSON.stringify([r.moduleVersion.version, r.kernel.version, r.arch]);
    cells.set(key, [
      ...(cells.get(key) ?? []),
      { id: r.id, runId: r.runId, version: r.moduleVersion.version, kernel: r.kernel.version, arch: r.arch, stage: r.stage as Stage, status: r.status as Status, finishedAt: r.finishedAt, errorLine: r.errorLine },
    ]);
  }
  const entries: WatchFeedEntry[] = [];
  for (const results of cells.values()) {
    const cell = observeCell(results);
    if (!cell) continue;
    for (const change of verdictChanges(cell)) {
      entries.push({
        resultId: change.resultId,
        at: change.at,
        version: cell.version,
        kernel: cell.kernel,
        arch: cell.arch,
        verdict: change.verdict,
        previous: change.previous,
        errorLine: change.errorLine,
        logUrl: logUrls.get(change.resultId) ?? null,
      });
    }
  }
  entries.sort((a, b) => b.at.getTime() - a.at.getTime() || compareKernels(b.kernel, a.kernel) || (entryKey(a) < entryKey(b) ? -1 : 1));
  return {
    module: { slug: q.module, name: mod.name },
    watch: { ...(q.version ? { version: q.version } : {}), kernel: q.kernel, ...(q.arch ? { arch: q.arch } : {}) },
    entries: entries.slice(0, q.limit),
  };
}

/** A stable order among changes at the same moment on the same kernel. */
const entryKey = (e: WatchFeedEntry) => JSON.stringify([e.version, e.arch, e.resultId]);
