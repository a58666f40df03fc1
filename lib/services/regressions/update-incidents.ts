import type { Tx } from "../../db/client";
import { seriesSortKey } from "../../domain/kernel-version";
import { detectIncidents, incidentSuccessors, type DetectedIncident } from "../../domain/regressions";
import { detectGridIncidents } from "./detect-grid-incidents";
import { loadDetectionInput } from "./load-detection-input";

export interface IncidentUpdate {
  modules: number;
  incidents: number;
  open: number;
  removed: number;
}

/**
 * Detect the incidents of the given modules (from all their results: the rebuild) or of the given
 * grids (from their cells' summaries: the ingest) and store them: an incident
 * whose key is detected again keeps its row and id, and so does one detected again with a narrower
 * gap under a new key (incidentSuccessors); new ones are added, vanished ones deleted.
 * Called inside the ingest transaction (for the modules it touched) and by the full recompute, so
 * both go through the same code and the same pure rules.
 */
export async function updateIncidents(
  tx: Tx,
  scope: { moduleIds?: readonly number[]; moduleVersionIds?: readonly number[]; grids?: readonly IncidentGrid[] },
): Promise<IncidentUpdate> {
  const ids = new Set(scope.moduleIds ?? []);
  if (scope.moduleVersionIds?.length) {
    const versions = await tx.moduleVersion.findMany({ where: { id: { in: [...scope.moduleVersionIds] } }, select: { moduleId: true } });
    for (const v of versions) ids.add(v.moduleId);
  }
  const total: IncidentUpdate = { modules: 0, incidents: 0, open: 0, removed: 0 };
  for (const moduleId of [...ids].sort((a, b) => a - b)) {
    const r = await updateModuleIncidents(tx, moduleId);
    total.modules += 1;
    total.incidents += r.incidents;
    total.open += r.open;
    total.removed += r.removed;
  }
  // Grids of modules not updated whole: only their incidents are detected again (ingest, issue 14).
  const byModule = new Map<number, IncidentGrid[]>();
  for (const g of scope.grids ?? []) if (!ids.has(g.moduleId)) byModule.set(g.moduleId, [...(byModule.get(g.moduleId) ?? []), g]);
  for (const [moduleId, grids] of [...byModule.entries()].sort((a, b) => a[0] - b[0])) {
    const r = await updateModuleIncidents(tx, moduleId, grids);
    total.modules += 1;
    total.incidents += r.incidents;
    total.open += r.open;
    total.removed += r.removed;
  }
  return total;
}

/** One module's incidents of one arch on one kernel line (lib/domain/kernel-version.ts kernelLine). */
export interface IncidentGrid {
  moduleId: number;
  arch: string;
  line: string;
}

/**
 * Detect and store one module's incidents, all of them (from its results), or only those of `grids`
 * (by indexed lookups of their cells' summaries, detect-grid-incidents.ts): detection in one arch × line
 * grid reads nothing of another, so the incidents of the other grids stay as they are, and the
 * result equals a whole-module update (tests/integration/ingest-scale-paths.test.ts).
 */
async function updateModuleIncidents(tx: Tx, moduleId: number, grids?: readonly IncidentGrid[]) {
  const t0 = performance.now();
  // A whole module is detected from its results (the rebuild); grids by indexed lookups of their
  // cells' summaries (detect-grid-incidents.ts), the same rule (incidentsInGrid) either way.
  const full = grids ? null : await loadDetectionInput(tx, moduleId);
  const t1 = performance.now();
  const input = full ? { ...full, incidents: detectIncidents(full).incidents, read: `${full.results.length} results` } : await detectGridIncidents(tx, moduleId, grids!);
  const { incidents, read } = input;
  const t2 = performance.now();
  const inScope = grids ? new Set(grids.map((g) => `${g.arch}|${g.line}`)) : null;
  const existing = (
    await tx.incident.findMany({
      where: { moduleId, ...(grids ? { arch: { in: [...new Set(grids.map((g) => g.arch))] } } : {}) },
      select: { id: true, key: true, arch: true, line: true, lastGoodKernel: { select: { version: true } }, firstBadKernel: { select: { version: true } } },
    })
  ).filter((e) => !inScope || inScope.has(`${e.arch}|${e.line}`));
  // The same break detected with a narrower gap keeps its row and id (incidentSuccessors).
  const successors = incidentSuccessors(
    existing.map((e) => ({ id: e.id, key: e.key, arch: e.arch, line: e.line, lastGoodKernel: e.lastGoodKernel.version, firstBadKernel: e.firstBadKernel.version })),
    incidents,
  );
  for (const [key, id] of successors) await tx.incident.update({ where: { id }, data: { key } });
  const keep = new Set(incidents.map((i) => i.key));
  const inherited = new Set(successors.values());
  const stale = existing.filter((e) => !keep.has(e.key) && !inherited.has(e.id)).map((e) => e.id);
  if (stale.length > 0) await tx.incident.deleteMany({ where: { id: { in: stale } } });

  // Rows that would be written as they are stay untouched (most incidents of a grid do not change
  // when a batch arrives): one read of the stored rows instead of three writes per incident.
  const stored = new Map(
    (
      await tx.incident.findMany({
        where: { moduleId, key: { in: incidents.map((i) => i.key) } },
        include: { versions: { select: { moduleVersionId: true } } },
      })
    ).map((r) => [r.key, r]),
  );
  // Rows to write, one statement each; their affected versions in two statements for all of them.
  const rewritten: number[] = [];
  const links: { incidentId: number; moduleVersionId: number }[] = [];
  for (const i of incidents) {
    const data = incidentRow(i, input.versionIds, input.kernelIds);
    const was = stored.get(i.key);
    const versionIds = i.affectedVersions.map((v) => input.versionIds.get(v)!);
    if (was && sameRow(was, data) && sameIds(was.versions.map((v) => v.moduleVersionId), versionIds)) continue;
    // `stored` holds every row under these keys (renamed successors included), so no row of a key
    // missing from it exists.
    const id = was
      ? (await tx.incident.update({ where: { id: was.id }, data, select: { id: true } })).id
      : (await tx.incident.create({ data: { moduleId, key: i.key, ...data }, select: { id: true } })).id;
    rewritten.push(id);
    links.push(...versionIds.map((moduleVersionId) => ({ incidentId: id, moduleVersionId })));
  }
  if (rewritten.length > 0) {
    await tx.incidentVersion.deleteMany({ where: { incidentId: { in: rewritten } } });
    await tx.incidentVersion.createMany({ data: links });
  }
  const written = rewritten.length;
  if (process.env.MODCOMPAT_INGEST_PHASES === "1") {
    console.log(`[incidents] module ${moduleId}: ${read}, load ${(t1 - t0).toFixed(0)}, detect ${(t2 - t1).toFixed(0)}, store ${(performance.now() - t2).toFixed(0)} ms, ${incidents.length} incidents (${written} written, ${stale.length} removed)`);
  }
  return { incidents: incidents.length, open: incidents.filter((i) => i.status === "open").length, removed: stale.length };
}

function sameRow(stored: Record<string, unknown>, data: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(data)) {
    const w = stored[k];
    if (v instanceof Date || w instanceof Date) {
      if (!(v instanceof Date && w instanceof Date && v.getTime() === w.getTime())) return false;
    } else if (v !== w) return false;
  }
  return true;
}

const sameIds = (a: number[], b: number[]) => a.length === b.length && [...a].sort((x, y) => x - y).join() === [...b].sort((x, y) => x - y).join();

/** The stored columns of a detected incident (also what `modcompat db reindex --check` expects). */
export function incidentRow(i: DetectedIncident, versionIds: Map<string, number>, kernelIds: Map<string, number>) {
  return {
    arch: i.arch,
    line: i.line,
    lastGoodKernelId: kernelIds.get(i.lastGoodKernel)!,
    firstBadKernelId: kernelIds.get(i.firstBadKernel)!,
    series: i.series,
    seriesKey: seriesSortKey(i.series),
    status: i.status,
    errorLine: i.errorLine,
    signature: i.signature?.symbol ?? null,
    signatureKind: i.signature?.kind ?? null,
    openedAt: i.openedAt,
    openedAtBasis: i.openedAtBasis,
    openedSeenAt: i.openedSeenAt,
    openedResultId: i.openedBy.resultId,
    fixedInVersionId: i.fixedIn ? versionIds.get(i.fixedIn)! : null,
    fixedInKernelId: i.fixedInKernel ? kernelIds.get(i.fixedInKernel)! : null,
    fixedAt: i.fixedAt,
    fixedAtBasis: i.fixedAtBasis,
    fixedSeenAt: i.fixedSeenAt,
    fixedResultId: i.fixedBy?.resultId ?? null,
    fixedOnSnapshotVersionId: i.fixedOnSnapshot ? versionIds.get(i.fixedOnSnapshot.version)! : null,
    fixedOnSnapshotAt: i.fixedOnSnapshot?.at ?? null,
    // Rounded to a millionth of a day (0.09 s): a double such as 164.91666666666666 comes back from
    // the database as 164.9166666666667, so the full value would never compare equal to itself.
    timeToFixDays: i.timeToFixDays === null ? null : Math.round(i.timeToFixDays * 1e6) / 1e6,
  };
}
