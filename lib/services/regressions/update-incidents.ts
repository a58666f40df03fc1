import { sql, type SqlTarget } from "../../db/sql";
import { Prisma } from "../../generated/prisma/client";
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
  tx: SqlTarget,
  scope: { moduleIds?: readonly number[]; moduleVersionIds?: readonly number[]; grids?: readonly IncidentGrid[] },
): Promise<IncidentUpdate> {
  const ids = new Set(scope.moduleIds ?? []);
  if (scope.moduleVersionIds?.length) {
    const versions = await sql<{ moduleId: number }>(tx, Prisma.sql`SELECT "moduleId" FROM "ModuleVersion" WHERE id = ANY(${[...scope.moduleVersionIds]}::int[])`);
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

/**
 * One module's incidents of one arch on one kernel line (lib/domain/kernel-version.ts kernelLine),
 * with the cells the batch changed in it when known: then the breakages the change cannot reach
 * keep their incidents (breakageUnchanged in lib/domain/regressions.ts).
 */
export interface IncidentGrid {
  moduleId: number;
  arch: string;
  line: string;
  touched?: readonly { moduleVersionId: number; kernelId: number }[];
}

/**
 * Detect and store one module's incidents, all of them (from its results), or only those of `grids`
 * (by indexed lookups of their cells' summaries, detect-grid-incidents.ts): detection in one arch × line
 * grid reads nothing of another, so the incidents of the other grids stay as they are, and the
 * result equals a whole-module update (tests/integration/ingest-scale-paths.test.ts).
 */
async function updateModuleIncidents(tx: SqlTarget, moduleId: number, grids?: readonly IncidentGrid[]) {
  const t0 = performance.now();
  // A whole module is detected from its results (the rebuild); grids by indexed lookups of their
  // cells' summaries (detect-grid-incidents.ts), the same rule (incidentsInGrid) either way.
  const full = grids ? null : await loadDetectionInput(tx, moduleId);
  const inScope = grids ? new Set(grids.map((g) => `${g.arch}|${g.line}`)) : null;
  const archFilter = grids ? Prisma.sql`AND i.arch = ANY(${[...new Set(grids.map((g) => g.arch))]}::text[])` : Prisma.empty;
  const before = (
    await sql<{ id: number; key: string; arch: string; line: string; lastGoodKernel: string; firstBadKernel: string; lastGoodKey: string; fixedInKernelKey: string | null }>(
      tx,
      Prisma.sql`
      SELECT i.id, i.key, i.arch, i.line, lg.version AS "lastGoodKernel", fb.version AS "firstBadKernel", lg."sortKey" AS "lastGoodKey", fk."sortKey" AS "fixedInKernelKey"
      FROM "Incident" i JOIN "Kernel" lg ON lg.id = i."lastGoodKernelId" JOIN "Kernel" fb ON fb.id = i."firstBadKernelId"
      LEFT JOIN "Kernel" fk ON fk.id = i."fixedInKernelId"
      WHERE i."moduleId" = ${moduleId} ${archFilter}
      ORDER BY i.id`,
    )
  ).filter((e) => !inScope || inScope.has(`${e.arch}|${e.line}`));
  const t1 = performance.now();
  const input = full
    ? { ...full, incidents: detectIncidents(full).incidents, kept: new Set<string>(), read: `${full.results.length} results` }
    : await detectGridIncidents(tx, moduleId, grids!, new Map(before.map((e) => [e.key, e])));
  const { incidents, read } = input;
  const t2 = performance.now();
  // Incidents detection kept as they are (breakageUnchanged) are neither heirs, nor stale, nor rewritten.
  const existing = before.filter((e) => !input.kept.has(e.key));
  // The same break detected with a narrower gap keeps its row and id (incidentSuccessors).
  const successors = incidentSuccessors(existing, incidents);
  // One at a time, in this order: a key is unique per module at every row written.
  for (const [key, id] of successors) await sql(tx, Prisma.sql`UPDATE "Incident" SET key = ${key}, "updatedAt" = ${NOW_UTC} WHERE id = ${id} RETURNING id`);
  const keep = new Set(incidents.map((i) => i.key));
  const inherited = new Set(successors.values());
  const stale = existing.filter((e) => !keep.has(e.key) && !inherited.has(e.id)).map((e) => e.id);
  // Their IncidentVersion rows go with them (ON DELETE CASCADE).
  if (stale.length > 0) await sql(tx, Prisma.sql`DELETE FROM "Incident" WHERE id = ANY(${stale}::int[]) RETURNING id`);

  // Rows that would be written as they are stay untouched (most incidents of a grid do not change
  // when a batch arrives): one read of the stored rows instead of three writes per incident.
  const stored = new Map(
    (incidents.length === 0
      ? []
      : await sql<Record<string, unknown> & { id: number; key: string; versions: number[] }>(
          tx,
          Prisma.sql`
          SELECT i.*, ARRAY(SELECT iv."moduleVersionId" FROM "IncidentVersion" iv WHERE iv."incidentId" = i.id) AS versions
          FROM "Incident" i WHERE i."moduleId" = ${moduleId} AND i.key = ANY(${incidents.map((i) => i.key)}::text[])`,
        )
    ).map((r) => [r.key, r]),
  );
  // Rows to write, in one statement; their affected versions in two statements for all of them.
  const changed: (ReturnType<typeof incidentRow> & { key: string; versionIds: number[] })[] = [];
  for (const i of incidents) {
    const data = incidentRow(i, input.versionIds, input.kernelIds);
    const was = stored.get(i.key);
    const versionIds = i.affectedVersions.map((v) => input.versionIds.get(v)!);
    if (was && sameRow(was, data) && sameIds(was.versions, versionIds)) continue;
    changed.push({ ...data, key: i.key, versionIds });
  }
  const rewritten = changed.length > 0 ? await writeIncidents(tx, moduleId, changed) : [];
  if (rewritten.length > 0) {
    const links = changed.flatMap((c, n) => c.versionIds.map((moduleVersionId) => ({ incidentId: rewritten[n], moduleVersionId })));
    await sql(tx, Prisma.sql`DELETE FROM "IncidentVersion" WHERE "incidentId" = ANY(${rewritten}::int[]) RETURNING 1 AS ok`);
    if (links.length > 0) {
      await sql(
        tx,
        Prisma.sql`
        INSERT INTO "IncidentVersion" ("incidentId", "moduleVersionId")
        SELECT * FROM unnest(${links.map((l) => l.incidentId)}::int[], ${links.map((l) => l.moduleVersionId)}::int[]) ORDER BY 1, 2
        RETURNING 1 AS ok`,
      );
    }
  }
  const written = rewritten.length;
  if (process.env.MODCOMPAT_INGEST_PHASES === "1") {
    console.log(`[incidents] module ${moduleId}: ${read}, load ${(t1 - t0).toFixed(0)}, detect ${(t2 - t1).toFixed(0)}, store ${(performance.now() - t2).toFixed(0)} ms, ${incidents.length} incidents (${written} written, ${stale.length} removed)`);
  }
  return { incidents: incidents.length, open: incidents.filter((i) => i.status === "open").length, removed: stale.length };
}

/** The time Prisma's `@updatedAt` and `@default(now())` would write: now, as UTC `timestamp(3)`. */
const NOW_UTC = Prisma.sql`(now() AT TIME ZONE 'UTC')::timestamp(3)`;

/** Columns of incidentRow and how they travel as jsonb: times as ISO text, cast back on the way in. */
const INCIDENT_COLUMNS: Record<keyof ReturnType<typeof incidentRow>, "text" | "int" | "float8" | "time"> = {
  arch: "text",
  line: "text",
  lastGoodKernelId: "int",
  firstBadKernelId: "int",
  series: "text",
  seriesKey: "text",
  status: "text",
  errorLine: "text",
  signature: "text",
  signatureKind: "text",
  openedAt: "time",
  openedAtBasis: "text",
  openedSeenAt: "time",
  openedResultId: "int",
  fixedInVersionId: "int",
  fixedInKernelId: "int",
  fixedAt: "time",
  fixedAtBasis: "text",
  fixedSeenAt: "time",
  fixedResultId: "int",
  fixedOnSnapshotVersionId: "int",
  fixedOnSnapshotAt: "time",
  timeToFixDays: "float8",
};

/**
 * Insert or rewrite incident rows by (module, key) in one statement; their ids in the order given.
 * `stored` (updateModuleIncidents) held every row under these keys, so an existing key is the row to rewrite.
 */
async function writeIncidents(tx: SqlTarget, moduleId: number, rows: readonly (ReturnType<typeof incidentRow> & { key: string })[]): Promise<number[]> {
  const cols = Object.keys(INCIDENT_COLUMNS) as (keyof typeof INCIDENT_COLUMNS)[];
  const names = Prisma.join(cols.map((c) => Prisma.raw(`"${c}"`)));
  const recordType = Prisma.join(cols.map((c) => Prisma.raw(`"${c}" ${INCIDENT_COLUMNS[c] === "time" ? "text" : INCIDENT_COLUMNS[c]}`)));
  const values = Prisma.join(
    cols.map((c) => Prisma.raw(INCIDENT_COLUMNS[c] === "time" ? `((r."${c}")::timestamptz AT TIME ZONE 'UTC')::timestamp(3)` : `r."${c}"`)),
  );
  const out = await sql<{ id: number; n: number }>(
    tx,
    Prisma.sql`
    WITH r AS (
      SELECT r.*, t.n FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) WITH ORDINALITY AS t(e, n)
      CROSS JOIN LATERAL jsonb_to_record(t.e) AS r(key text, ${recordType})
    ), w AS (
      INSERT INTO "Incident" ("moduleId", key, ${names}, "createdAt", "updatedAt")
      SELECT ${moduleId}::int, r.key, ${values}, ${NOW_UTC}, ${NOW_UTC} FROM r ORDER BY r.n
      ON CONFLICT ("moduleId", key) DO UPDATE SET ${Prisma.join(cols.map((c) => Prisma.raw(`"${c}" = EXCLUDED."${c}"`)))}, "updatedAt" = EXCLUDED."updatedAt"
      RETURNING id, key
    )
    SELECT w.id, r.n::int AS n FROM w JOIN r ON r.key = w.key ORDER BY r.n`,
  );
  return out.map((o) => o.id);
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
