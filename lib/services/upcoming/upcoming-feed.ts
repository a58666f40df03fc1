import { formatSignature } from "../../domain/signature";
import { escapeHtml, renderAtom, type AtomEntry } from "../regressions/atom";
import { listUpcoming } from "./list-upcoming";

/**
 * Atom feed of the early warnings: one entry per module that breaks on an upcoming kernel (dated
 * by the result on it) and one summary entry per upcoming kernel. An entry's id names the kernel,
 * module and version, so a reader sees a new entry when a new rc or a new break arrives.
 */
export async function upcomingFeed(opts: { baseUrl: string }): Promise<string> {
  const reports = await listUpcoming();
  const entries: AtomEntry[] = [];
  for (const r of reports) {
    const page = `${opts.baseUrl}/upcoming#${encodeURIComponent(r.kernel)}`;
    const date = r.lastResultAt ?? r.releasedAt ?? new Date(0);
    const rows = r.modules
      .filter((m) => m.outcome === "breaks")
      .map((m) => `<li>${escapeHtml(m.module)} ${escapeHtml(m.version)}: <code>${escapeHtml(m.errorLine ?? "no error line reported")}</code></li>`)
      .join("");
    entries.push({ id: `${page}#summary`, title: r.headline, link: page, date, html: `<p>${escapeHtml(r.headline)}.</p>${rows ? `<ul>${rows}</ul>` : ""}` });
    for (const m of r.modules.filter((x) => x.outcome === "breaks")) {
      const what = m.signature ? formatSignature(m.signature) : (m.errorLine ?? "unknown error");
      entries.push({
        id: `${page}#${encodeURIComponent(`${m.module}@${m.version}`)}`,
        title: `${m.module} ${m.version} breaks on ${r.name} (${r.kernel}): ${what}`,
        link: `${opts.baseUrl}/modules/${encodeURIComponent(m.module)}/cells/${encodeURIComponent(m.version)}/${encodeURIComponent(r.kernel)}`,
        date,
        html:
          `<p>${escapeHtml(m.module)} ${escapeHtml(m.version)} builds on ${escapeHtml(m.basePass ?? r.baseSeries ?? "")} and fails on ${escapeHtml(r.kernel)}, ` +
          `a pre-release: an early warning, the final release may differ.</p><p><code>${escapeHtml(m.errorLine ?? "no error line reported")}</code></p>`,
      });
    }
  }
  entries.sort((a, b) => b.date.getTime() - a.date.getTime() || (a.id < b.id ? -1 : 1));
  return renderAtom({
    id: `${opts.baseUrl}/api/v1/upcoming.atom`,
    title: "ModCompat: upcoming kernels, early warnings",
    subtitle: "Out-of-tree modules that build on the last released kernel series and break on a release candidate or experimental kernel",
    selfUrl: `${opts.baseUrl}/api/v1/upcoming.atom`,
    alternateUrl: `${opts.baseUrl}/upcoming`,
    entries,
  });
}
