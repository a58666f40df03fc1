import { db } from "../../db/client";
import { formatSignature } from "../../domain/signature";
import { notFound } from "../errors";
import { escapeHtml, renderAtom, type AtomEntry } from "./atom";
import { incidentInclude, toSummary, type IncidentSummary } from "./incident-summary";

/**
 * Atom feed of new and fixed regressions, of all modules or of one. Each incident gives an entry
 * when it opened and another when it was fixed, dated by those events.
 */
export async function regressionFeed(opts: { baseUrl: string; slug?: string; limit?: number }): Promise<string> {
  const limit = opts.limit ?? 50;
  let moduleName: string | null = null;
  if (opts.slug) {
    const mod = await db().module.findUnique({ where: { slug: opts.slug }, select: { name: true } });
    if (!mod) throw notFound(`module "${opts.slug}"`);
    moduleName = mod.name;
  }
  const where = opts.slug ? { module: { slug: opts.slug } } : {};
  // The newest events are among the newest-opened and the newest-fixed incidents.
  const [byOpened, byFixed] = await Promise.all([
    db().incident.findMany({ where, include: incidentInclude, orderBy: [{ openedAt: "desc" }, { id: "desc" }], take: limit }),
    db().incident.findMany({ where: { ...where, fixedAt: { not: null } }, include: incidentInclude, orderBy: [{ fixedAt: "desc" }, { id: "desc" }], take: limit }),
  ]);
  const incidents = new Map([...byOpened, ...byFixed].map((r) => [r.id, toSummary(r)]));
  const entries = [...incidents.values()]
    .flatMap((i) => incidentEntries(i, opts.baseUrl))
    .sort((a, b) => b.date.getTime() - a.date.getTime() || (a.id < b.id ? 1 : -1))
    .slice(0, limit);
  const path = opts.slug ? `/api/v1/modules/${opts.slug}/regressions.atom` : "/api/v1/regressions.atom";
  return renderAtom({
    id: `${opts.baseUrl}${path}`,
    title: moduleName ? `ModCompat: regressions of ${moduleName}` : "ModCompat: kernel module regressions",
    subtitle: "New and fixed regressions of out-of-tree kernel modules, detected from build results",
    selfUrl: `${opts.baseUrl}${path}`,
    alternateUrl: `${opts.baseUrl}${opts.slug ? `/regressions?module=${encodeURIComponent(opts.slug)}` : "/regressions"}`,
    entries,
  });
}

function incidentEntries(i: IncidentSummary, baseUrl: string): AtomEntry[] {
  const link = `${baseUrl}/regressions/${i.id}`;
  const what = i.signature ? formatSignature(i.signature) : (i.errorLine ?? "unknown error");
  const where = `${i.firstBadKernel} (${i.lineLabel}, ${i.arch})`;
  const details = [
    ["Module", i.module.name],
    ["Last good kernel", i.lastGoodKernel],
    ["First bad kernel", i.firstBadKernel],
    ["Kernel line", `${i.lineLabel} · ${i.arch}`],
    ["Error", i.errorLine ?? "not reported"],
    ["Affected versions", i.affectedVersions.join(", ")],
    ["Fixed in", i.fixedIn ?? (i.fixedInKernel ? `kernel ${i.fixedInKernel}` : "not yet")],
  ];
  const html = `<table>${details.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${k === "Error" ? `<code>${escapeHtml(v)}</code>` : escapeHtml(v)}</td></tr>`).join("")}</table>`;
  const entries: AtomEntry[] = [
    { id: `${link}#opened`, title: `${i.module.slug} broke on ${where}: ${what}`, link, date: i.openedAt, html },
  ];
  if (i.status === "fixed" && i.fixedAt) {
    const by = i.fixedIn ? `in ${i.fixedIn}` : `by kernel ${i.fixedInKernel}`;
    entries.push({ id: `${link}#fixed`, title: `${i.module.slug} fixed ${by}: ${what} on ${where}`, link, date: i.fixedAt, html });
  }
  return entries;
}
