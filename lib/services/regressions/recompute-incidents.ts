import { db } from "../../db/client";
import { lockIngestKeys } from "./lock";
import { updateIncidents, type IncidentUpdate } from "./update-incidents";

/**
 * Full recomputation (`modcompat regressions recompute`): every module, one transaction each, under
 * the module's ingest lock so that no ingest interleaves with a module being rewritten.
 */
export async function recomputeIncidents(
  opts: { onModule?: (slug: string, done: number, total: number) => void; slugs?: readonly string[] } = {},
): Promise<IncidentUpdate> {
  const modules = await db().module.findMany({ select: { id: true, slug: true }, where: opts.slugs ? { slug: { in: [...opts.slugs] } } : {}, orderBy: { id: "asc" } });
  const total: IncidentUpdate = { modules: 0, incidents: 0, open: 0, removed: 0 };
  for (const [n, m] of modules.entries()) {
    const r = await db().$transaction(
      async (tx) => {
        await lockIngestKeys(tx, { moduleSlugs: [m.slug] });
        return updateIncidents(tx, { moduleIds: [m.id] });
      },
      { timeout: 300_000, maxWait: 60_000 },
    );
    total.modules += r.modules;
    total.incidents += r.incidents;
    total.open += r.open;
    total.removed += r.removed;
    opts.onModule?.(m.slug, n + 1, modules.length);
  }
  // Incidents of modules deleted meanwhile went with them (cascade); nothing else can be stale.
  return total;
}

/** After migration 0004_dates: recompute everything once if some incident has no dating yet; null when none needed it. */
export async function recomputeUndatedIncidents(): Promise<IncidentUpdate | null> {
  if ((await db().incident.count({ where: { openedSeenAt: null } })) === 0) return null;
  return recomputeIncidents();
}
