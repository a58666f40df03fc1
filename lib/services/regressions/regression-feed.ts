import { db } from "../../db/client";
import type { RegressionFeed, RegressionFeedEntry } from "../../schemas/feeds";
import { notFound } from "../errors";
import { loadIncidentRows } from "./incident-rows";
import { toSummary, type IncidentSummary } from "./incident-summary";

/**
 * New and fixed regressions, of all modules or of one, newest first: each incident gives an entry
 * when it opened and another when it was fixed, dated by those events. Rendered as Atom by
 * lib/http/feeds.ts.
 */
export async function regressionFeed(opts: { slug?: string; limit?: number }): Promise<RegressionFeed> {
  const limit = opts.limit ?? 50;
  let mod: RegressionFeed["module"] = null;
  if (opts.slug) {
    mod = await db().module.findUnique({ where: { slug: opts.slug }, select: { slug: true, name: true } });
    if (!mod) throw notFound(`module "${opts.slug}"`);
  }
  // The newest events are among the newest-opened and the newest-fixed incidents.
  const [byOpened, byFixed] = await Promise.all([
    loadIncidentRows({ moduleSlug: opts.slug }, "newest", { limit }),
    loadIncidentRows({ moduleSlug: opts.slug, fixed: true }, "fixed-newest", { limit }),
  ]);
  const incidents = new Map([...byOpened, ...byFixed].map((r) => [r.id, toSummary(r)]));
  const entries = [...incidents.values()]
    .flatMap(incidentEvents)
    .sort((a, b) => b.at.getTime() - a.at.getTime() || b.incidentId - a.incidentId || (a.event < b.event ? 1 : -1))
    .slice(0, limit);
  return { module: mod, entries };
}

function incidentEvents(i: IncidentSummary): RegressionFeedEntry[] {
  const base = {
    incidentId: i.id,
    module: i.module,
    arch: i.arch,
    lineLabel: i.lineLabel,
    lastGoodKernel: i.lastGoodKernel,
    firstBadKernel: i.firstBadKernel,
    errorLine: i.errorLine,
    signature: i.signature,
    affectedVersions: i.affectedVersions,
    fixedIn: i.fixedIn,
    fixedInKernel: i.fixedInKernel,
  };
  const events: RegressionFeedEntry[] = [{ event: "opened", at: i.openedAt, ...base }];
  if (i.status === "fixed" && i.fixedAt) events.push({ event: "fixed", at: i.fixedAt, ...base });
  return events;
}
