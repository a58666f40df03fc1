import { formatSignature } from "../domain/signature";
import { cellPage, moduleHistoryPage, regressionPage, regressionsAtomPath, regressionsPage, upcomingAtomPath, upcomingPage, watchAtomPath } from "../links";
import type { RegressionFeed, RegressionFeedEntry, WatchFeed } from "../schemas/feeds";
import type { UpcomingKernelReport } from "../services/upcoming/list-upcoming";
import { escapeHtml, type AtomDocument, type AtomEntry } from "./atom";

/**
 * The Atom feeds: typed entries from the services (lib/schemas/feeds.ts) become Atom entries with
 * HTML contents, and every link and id an absolute URL built by `url` (publicUrl of the request:
 * MODCOMPAT_PUBLIC_URL, else the forwarded or own host). Entry ids are the URLs they always were,
 * so readers do not see old entries again as new.
 */
type Url = (path: string) => string;

const REGRESSION_FEED_SUBTITLE = "New and fixed regressions of out-of-tree kernel modules, detected from build results";

export function regressionAtom(feed: RegressionFeed, url: Url): AtomDocument {
  const slug = feed.module?.slug;
  const self = url(regressionsAtomPath(slug));
  return {
    id: self,
    title: feed.module ? `ModCompat: regressions of ${feed.module.name}` : "ModCompat: kernel module regressions",
    subtitle: REGRESSION_FEED_SUBTITLE,
    selfUrl: self,
    alternateUrl: url(regressionsPage(slug)),
    entries: feed.entries.map((e) => regressionEntry(e, url)),
  };
}

function regressionEntry(e: RegressionFeedEntry, url: Url): AtomEntry {
  const link = url(regressionPage(e.incidentId));
  const what = e.signature ? formatSignature(e.signature) : (e.errorLine ?? "unknown error");
  const where = `${e.firstBadKernel} (${e.lineLabel}, ${e.arch})`;
  const details = [
    ["Module", e.module.name],
    ["Last good kernel", e.lastGoodKernel],
    ["First bad kernel", e.firstBadKernel],
    ["Kernel line", `${e.lineLabel} · ${e.arch}`],
    ["Error", e.errorLine ?? "not reported"],
    ["Affected versions", e.affectedVersions.join(", ")],
    ["Fixed in", e.fixedIn ?? (e.fixedInKernel ? `kernel ${e.fixedInKernel}` : "not yet")],
  ];
  const html = `<table>${details.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${k === "Error" ? `<code>${escapeHtml(v)}</code>` : escapeHtml(v)}</td></tr>`).join("")}</table>`;
  const title =
    e.event === "opened"
      ? `${e.module.slug} broke on ${where}: ${what}`
      : `${e.module.slug} fixed ${e.fixedIn ? `in ${e.fixedIn}` : `by kernel ${e.fixedInKernel}`}: ${what} on ${where}`;
  return { id: `${link}#${e.event}`, title, link, date: e.at, html };
}

export function watchAtom(feed: WatchFeed, url: Url): AtomDocument {
  const { module, watch } = feed;
  const self = url(watchAtomPath({ module: module.slug, ...watch }));
  const label = `${module.name}${watch.version ? ` ${watch.version}` : ""} × ${watch.kernel}${watch.arch ? ` (${watch.arch})` : ""}`;
  return {
    id: self,
    title: `ModCompat watch: ${label}`,
    subtitle: `Changes between pass and fail of ${label}`,
    selfUrl: self,
    alternateUrl: url(moduleHistoryPage(module.slug)),
    entries: feed.entries.map((e) => {
      const link = url(`${cellPage(module.slug, e.version, e.kernel)}?arch=${encodeURIComponent(e.arch)}`);
      const green = e.verdict === "pass";
      const before = e.previous ? (green ? ", failed before" : ", passed before") : "";
      const title = `${green ? "✓" : "✗"} ${module.slug} ${e.version} ${green ? "passes" : "fails"} on ${e.kernel} (${e.arch})${before}`;
      const html =
        `<p>${escapeHtml(title)}</p>` +
        (e.errorLine ? `<p>Error: <code>${escapeHtml(e.errorLine)}</code></p>` : "") +
        (e.logUrl ? `<p><a href="${escapeHtml(e.logUrl)}">build log</a></p>` : "");
      return { id: `${link}#result-${e.resultId}`, title, link, date: e.at, html };
    }),
  };
}

/**
 * The early warnings: one entry per module that breaks on an upcoming kernel (dated by the newest
 * result on it) and one summary entry per upcoming kernel. An entry's id names the kernel, module
 * and version, so a reader sees a new entry when a new rc or a new break arrives.
 */
export function upcomingAtom(reports: UpcomingKernelReport[], url: Url): AtomDocument {
  const entries: AtomEntry[] = [];
  for (const r of reports) {
    const page = url(upcomingPage(r.kernel));
    const date = r.lastResultAt ?? r.releasedAt ?? new Date(0);
    const breaks = r.modules.filter((m) => m.outcome === "breaks");
    const rows = breaks.map((m) => `<li>${escapeHtml(m.module)} ${escapeHtml(m.version)}: <code>${escapeHtml(m.errorLine ?? "no error line reported")}</code></li>`).join("");
    entries.push({ id: `${page}#summary`, title: r.headline, link: page, date, html: `<p>${escapeHtml(r.headline)}.</p>${rows ? `<ul>${rows}</ul>` : ""}` });
    for (const m of breaks) {
      const what = m.signature ? formatSignature(m.signature) : (m.errorLine ?? "unknown error");
      entries.push({
        id: `${page}#${encodeURIComponent(`${m.module}@${m.version}`)}`,
        title: `${m.module} ${m.version} breaks on ${r.name} (${r.kernel}): ${what}`,
        link: url(cellPage(m.module, m.version, r.kernel)),
        date,
        html:
          `<p>${escapeHtml(m.module)} ${escapeHtml(m.version)} builds on ${escapeHtml(m.basePass ?? r.baseSeries ?? "")} and fails on ${escapeHtml(r.kernel)}, ` +
          `a pre-release: an early warning, the final release may differ.</p><p><code>${escapeHtml(m.errorLine ?? "no error line reported")}</code></p>`,
      });
    }
  }
  entries.sort((a, b) => b.date.getTime() - a.date.getTime() || (a.id < b.id ? -1 : 1));
  return {
    id: url(upcomingAtomPath()),
    title: "ModCompat: upcoming kernels, early warnings",
    subtitle: "Out-of-tree modules that build on the last released kernel series and break on a release candidate or experimental kernel",
    selfUrl: url(upcomingAtomPath()),
    alternateUrl: url(upcomingPage()),
    entries,
  };
}
