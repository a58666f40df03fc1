import { pgRead } from "../../db/client";
import type { RegressionSort } from "../../schemas/regressions";
import type { IncidentRow } from "./incident-summary";

/**
 * Incidents with what toSummary reads of their relations (incidentInclude), in one node-pg
 * statement: the relations come as JSON beside each row. Prisma's `include` read them with a
 * statement per relation (seven), each compiled again on the event loop. Every page, API and feed
 * that shows incidents reads them here (history, regressions, a regression, signatures, feeds). tests/integration/incident-rows.test.ts proves the rows equal to Prisma's.
 */
export interface IncidentFilter {
  id?: number;
  moduleId?: number;
  moduleSlug?: string;
  status?: string;
  series?: string;
  signature?: string;
  /** only incidents with a fix date */
  fixed?: boolean;
}

/** The orders of the regressions list (lib/schemas/regressions.ts), and the feed's newest fixes first, as SQL. */
export type IncidentOrder = RegressionSort | "fixed-newest";
export const INCIDENT_ORDER_SQL: Record<IncidentOrder, string> = {
  newest: `i."openedAt" DESC, i.id DESC`,
  oldest: `i."openedAt" ASC, i.id ASC`,
  module: `m.slug ASC, i."openedAt" DESC, i.id DESC`,
  series: `i."seriesKey" DESC, i."openedAt" DESC, i.id DESC`,
  // "open" sorts after "fixed" alphabetically: descending puts the open ones first.
  "open-longest": `i.status DESC, i."openedAt" ASC, i.id ASC`,
  "fixed-newest": `i."fixedAt" DESC, i.id DESC`,
};

/** The WHERE clause of a filter, its parameters numbered from $1. */
export function incidentWhere(filter: IncidentFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (column: string, value: unknown) => {
    params.push(value);
    parts.push(`${column} = $${params.length}`);
  };
  if (filter.id !== undefined) add(`i.id`, filter.id);
  if (filter.moduleId !== undefined) add(`i."moduleId"`, filter.moduleId);
  // an empty text filters nothing, as in the list's query before
  if (filter.moduleSlug) add(`m.slug`, filter.moduleSlug);
  if (filter.status) add(`i.status`, filter.status);
  if (filter.series) add(`i.series`, filter.series);
  if (filter.signature) add(`i.signature`, filter.signature);
  if (filter.fixed) parts.push(`i."fixedAt" IS NOT NULL`);
  return { sql: parts.length ? `WHERE ${parts.join(" AND ")}` : "", params };
}

const iso = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const kernelJson = (alias: string) =>
  `json_build_object('version', ${alias}.version, 'upstreamVersion', ${alias}."upstreamVersion", 'releasedAt', ${iso(`${alias}."releasedAt"`)}, 'releasedAtSource', ${alias}."releasedAtSource")`;

interface RawKernel {
  version: string;
  upstreamVersion: string | null;
  releasedAt: string | null;
  releasedAtSource: string | null;
}
type Raw = Omit<
  IncidentRow,
  | "openedAt"
  | "openedSeenAt"
  | "fixedAt"
  | "fixedSeenAt"
  | "fixedOnSnapshotAt"
  | "createdAt"
  | "updatedAt"
  | "lastGoodKernel"
  | "firstBadKernel"
  | "fixedInKernel"
  | "fixedInVersion"
> & {
  openedAt: string;
  openedSeenAt: string | null;
  fixedAt: string | null;
  fixedSeenAt: string | null;
  fixedOnSnapshotAt: string | null;
  createdAt: string;
  updatedAt: string;
  lastGoodKernel: RawKernel;
  firstBadKernel: RawKernel;
  fixedInKernel: RawKernel | null;
  fixedInVersion: { version: string; releasedAt: string | null; releasedAtSource: string | null } | null;
};

const date = (s: string | null): Date | null => (s === null ? null : new Date(s));
const kernel = (k: RawKernel) => ({ ...k, releasedAt: date(k.releasedAt) });

/** Incidents matching `filter` in `order`, `limit` and `offset` as the list pages them. */
export async function loadIncidentRows(filter: IncidentFilter, order: IncidentOrder, page: { limit?: number; offset?: number } = {}): Promise<IncidentRow[]> {
  const where = incidentWhere(filter);
  const params = [...where.params];
  const bound = (v: number | undefined) => {
    if (v === undefined) return null;
    params.push(v);
    return `$${params.length}`;
  };
  const limit = bound(page.limit);
  const offset = bound(page.offset);
  const rows = await pgRead<Raw>(
    `SELECT i.id, i."moduleId", i.key, i.arch, i.line, i."lastGoodKernelId", i."firstBadKernelId", i.series, i."seriesKey", i.status,
            i."errorLine", i.signature, i."signatureKind", ${iso(`i."openedAt"`)} AS "openedAt", i."openedAtBasis",
            ${iso(`i."openedSeenAt"`)} AS "openedSeenAt", i."openedResultId", i."fixedInVersionId", i."fixedInKernelId",
            ${iso(`i."fixedAt"`)} AS "fixedAt", i."fixedAtBasis", ${iso(`i."fixedSeenAt"`)} AS "fixedSeenAt", i."fixedResultId",
            i."fixedOnSnapshotVersionId", ${iso(`i."fixedOnSnapshotAt"`)} AS "fixedOnSnapshotAt", i."timeToFixDays",
            ${iso(`i."createdAt"`)} AS "createdAt", ${iso(`i."updatedAt"`)} AS "updatedAt",
            json_build_object('slug', m.slug, 'name', m.name) AS module,
            ${kernelJson("lg")} AS "lastGoodKernel",
            ${kernelJson("fb")} AS "firstBadKernel",
            CASE WHEN fk.id IS NULL THEN NULL ELSE ${kernelJson("fk")} END AS "fixedInKernel",
            CASE WHEN fv.id IS NULL THEN NULL ELSE json_build_object('version', fv.version, 'releasedAt', ${iso(`fv."releasedAt"`)}, 'releasedAtSource', fv."releasedAtSource") END AS "fixedInVersion",
            CASE WHEN sv.id IS NULL THEN NULL ELSE json_build_object('version', sv.version) END AS "fixedOnSnapshotVersion",
            coalesce((SELECT json_agg(json_build_object('moduleVersion', json_build_object('version', v.version)) ORDER BY iv."moduleVersionId")
                      FROM "IncidentVersion" iv JOIN "ModuleVersion" v ON v.id = iv."moduleVersionId" WHERE iv."incidentId" = i.id), '[]') AS versions
     FROM "Incident" i
     JOIN "Module" m ON m.id = i."moduleId"
     JOIN "Kernel" lg ON lg.id = i."lastGoodKernelId"
     JOIN "Kernel" fb ON fb.id = i."firstBadKernelId"
     LEFT JOIN "Kernel" fk ON fk.id = i."fixedInKernelId"
     LEFT JOIN "ModuleVersion" fv ON fv.id = i."fixedInVersionId"
     LEFT JOIN "ModuleVersion" sv ON sv.id = i."fixedOnSnapshotVersionId"
     ${where.sql}
     ORDER BY ${INCIDENT_ORDER_SQL[order]}
     ${limit ? `LIMIT ${limit}` : ""} ${offset ? `OFFSET ${offset}` : ""}`,
    params,
  );
  return rows.map((r) => ({
    ...r,
    openedAt: new Date(r.openedAt),
    openedSeenAt: date(r.openedSeenAt),
    fixedAt: date(r.fixedAt),
    fixedSeenAt: date(r.fixedSeenAt),
    fixedOnSnapshotAt: date(r.fixedOnSnapshotAt),
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
    lastGoodKernel: kernel(r.lastGoodKernel),
    firstBadKernel: kernel(r.firstBadKernel),
    fixedInKernel: r.fixedInKernel && kernel(r.fixedInKernel),
    fixedInVersion: r.fixedInVersion && { ...r.fixedInVersion, releasedAt: date(r.fixedInVersion.releasedAt) },
  }));
}

/** The counts and filter options of the regressions list in one statement: total and per status under `filter`, and every module, series and signature with an incident. */
export async function loadIncidentListFacts(
  filter: IncidentFilter,
): Promise<{ total: number; open: number; fixed: number; modules: string[]; series: string[]; signatures: string[] }> {
  const where = incidentWhere(filter);
  const [row] = await pgRead<{ total: number; open: number; fixed: number; modules: string[]; series: string[]; signatures: string[] }>(
    `SELECT f.total, f.open, f.fixed,
            coalesce((SELECT json_agg(m.slug ORDER BY m.slug) FROM "Module" m WHERE EXISTS (SELECT 1 FROM "Incident" x WHERE x."moduleId" = m.id)), '[]') AS modules,
            coalesce((SELECT json_agg(DISTINCT x.series) FROM "Incident" x), '[]') AS series,
            coalesce((SELECT json_agg(DISTINCT x.signature ORDER BY x.signature) FROM "Incident" x WHERE x.signature IS NOT NULL), '[]') AS signatures
     FROM (SELECT count(*)::int AS total, (count(*) FILTER (WHERE i.status = 'open'))::int AS open, (count(*) FILTER (WHERE i.status = 'fixed'))::int AS fixed
           FROM "Incident" i JOIN "Module" m ON m.id = i."moduleId" ${where.sql}) f`,
    where.params,
  );
  return row;
}
