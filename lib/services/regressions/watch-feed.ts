import { db } from "../../db/client";
import { compareKernels, isSeries } from "../../domain/kernel-version";
import { observeCell, verdictChanges, type ResultInput } from "../../domain/regressions";
import type { Stage, Status } from "../../domain/status";
import type { WatchQuery } from "../../schemas/regressions";
import { notFound } from "../errors";
import { escapeHtml, renderAtom, type AtomEntry } from "./atom";

/**
 * "Tell me when zfs 2.2 × 6.12 turns green": an entry each time a watched version × kernel × arch
 * changes between pass and fail. The kernel may be a series (every kernel of it, any distro) and the
 * version a prefix ("2.2" watches 2.2.x). Nothing matching yet is an empty feed, not an error: the
 * kernel or release being waited for may not exist yet.
 */
export async function watchFeed(q: WatchQuery & { baseUrl: string }): Promise<string> {
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
  const entries: (AtomEntry & { kernel: string })[] = [];
  for (const results of cells.values()) {
    const cell = observeCell(results);
    if (!cell) continue;
    const link = `${q.baseUrl}/modules/${encodeURIComponent(q.module)}/cells/${encodeURIComponent(cell.version)}/${encodeURIComponent(cell.kernel)}?arch=${encodeURIComponent(cell.arch)}`;
    for (const change of verdictChanges(cell)) {
      const green = change.verdict === "pass";
      const title = `${green ? "✓" : "✗"} ${q.module} ${cell.version} ${green ? "passes" : "fails"} on ${cell.kernel} (${cell.arch})${change.previous ? (green ? ", failed before" : ", passed before") : ""}`;
      const log = logUrls.get(change.resultId);
      const html =
        `<p>${escapeHtml(title)}</p>` +
        (change.errorLine ? `<p>Error: <code>${escapeHtml(change.errorLine)}</code></p>` : "") +
        (log ? `<p><a href="${escapeHtml(log)}">build log</a></p>` : "");
      entries.push({ id: `${link}#result-${change.resultId}`, title, link, date: change.at, html, kernel: cell.kernel });
    }
  }
  entries.sort((a, b) => b.date.getTime() - a.date.getTime() || compareKernels(b.kernel, a.kernel) || (a.id < b.id ? -1 : 1));
  const params = new URLSearchParams({ module: q.module, ...(q.version ? { version: q.version } : {}), kernel: q.kernel, ...(q.arch ? { arch: q.arch } : {}) });
  const self = `${q.baseUrl}/api/v1/watch.atom?${params}`;
  const label = `${mod.name}${q.version ? ` ${q.version}` : ""} × ${q.kernel}${q.arch ? ` (${q.arch})` : ""}`;
  return renderAtom({
    id: self,
    title: `ModCompat watch: ${label}`,
    subtitle: `Changes between pass and fail of ${label}`,
    selfUrl: self,
    alternateUrl: `${q.baseUrl}/modules/${encodeURIComponent(q.module)}/history`,
    entries: entries.slice(0, q.limit),
  });
}
