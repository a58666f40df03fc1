import { compareSeries } from "../../domain/kernel-version";
import type { RegressionSort, RegressionsQuery } from "../../schemas/regressions";
import { loadIncidentListFacts, loadIncidentRows } from "./incident-rows";
import { toSummary, type IncidentSummary } from "./incident-summary";

export interface RegressionList {
  query: RegressionsQuery;
  total: number;
  counts: { open: number; fixed: number };
  items: IncidentSummary[];
  /** values the filters can take, across all incidents */
  options: { modules: string[]; series: string[]; signatures: string[] };
}

export async function listRegressions(query: Omit<RegressionsQuery, "sort"> & { sort?: RegressionSort }): Promise<RegressionList> {
  // node-pg, two statements (incident-rows.ts): Prisma took eleven, each compiled on the event loop.
  const filter = { moduleSlug: query.module, status: query.status, series: query.series, signature: query.signature };
  const [rows, facts] = await Promise.all([
    loadIncidentRows(filter, query.sort ?? "newest", { limit: query.limit, offset: query.offset }),
    loadIncidentListFacts(filter),
  ]);
  const now = new Date();
  return {
    query: { ...query, sort: query.sort ?? "newest" },
    total: facts.total,
    counts: { open: facts.open, fixed: facts.fixed },
    items: rows.map((r) => toSummary(r, now)),
    options: {
      modules: facts.modules,
      series: [...facts.series].sort(compareSeries),
      signatures: facts.signatures,
    },
  };
}
