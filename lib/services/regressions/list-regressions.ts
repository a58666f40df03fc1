import { db } from "../../db/client";
import { compareSeries } from "../../domain/kernel-version";
import type { Prisma } from "../../generated/prisma/client";
import type { RegressionSort, RegressionsQuery } from "../../schemas/regressions";
import { incidentInclude, toSummary, type IncidentSummary } from "./incident-summary";

export interface RegressionList {
  query: RegressionsQuery;
  total: number;
  counts: { open: number; fixed: number };
  items: IncidentSummary[];
  /** values the filters can take, across all incidents */
  options: { modules: string[]; series: string[]; signatures: string[] };
}

/** Incidents in the asked order (newest first by default), filtered by module, status, series of the first bad kernel and signature. */
const ORDER: Record<RegressionSort, Prisma.IncidentOrderByWithRelationInput[]> = {
  newest: [{ openedAt: "desc" }, { id: "desc" }],
  oldest: [{ openedAt: "asc" }, { id: "asc" }],
  module: [{ module: { slug: "asc" } }, { openedAt: "desc" }, { id: "desc" }],
  series: [{ seriesKey: "desc" }, { openedAt: "desc" }, { id: "desc" }],
  // "open" sorts after "fixed" alphabetically: descending puts the open ones first.
  "open-longest": [{ status: "desc" }, { openedAt: "asc" }, { id: "asc" }],
};

export async function listRegressions(query: Omit<RegressionsQuery, "sort"> & { sort?: RegressionSort }): Promise<RegressionList> {
  const where: Prisma.IncidentWhereInput = {
    ...(query.module ? { module: { slug: query.module } } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.series ? { series: query.series } : {}),
    ...(query.signature ? { signature: query.signature } : {}),
  };
  const [rows, total, byStatus, modules, series, signatures] = await Promise.all([
    db().incident.findMany({ where, include: incidentInclude, orderBy: ORDER[query.sort ?? "newest"], take: query.limit, skip: query.offset }),
    db().incident.count({ where }),
    db().incident.groupBy({ by: ["status"], where, _count: { _all: true } }),
    db().module.findMany({ where: { incidents: { some: {} } }, select: { slug: true }, orderBy: { slug: "asc" } }),
    db().incident.findMany({ distinct: ["series"], select: { series: true } }),
    db().incident.findMany({ where: { signature: { not: null } }, distinct: ["signature"], select: { signature: true }, orderBy: { signature: "asc" } }),
  ]);
  const now = new Date();
  const count = (s: string) => byStatus.find((b) => b.status === s)?._count._all ?? 0;
  return {
    query: { ...query, sort: query.sort ?? "newest" },
    total,
    counts: { open: count("open"), fixed: count("fixed") },
    items: rows.map((r) => toSummary(r, now)),
    options: {
      modules: modules.map((m) => m.slug),
      series: series.map((s) => s.series).sort(compareSeries),
      signatures: signatures.map((s) => s.signature!),
    },
  };
}
