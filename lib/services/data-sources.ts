import { db } from "../db/client";

export interface DataSource {
  source: string;
  runs: number;
  results: number;
  firstAt: Date | null;
  lastAt: Date | null;
  /** provenance of the newest run, as the reporter sent it */
  meta: Record<string, unknown> | null;
}

/** Where the stored results come from, shown on the pages so nobody mistakes a demo for data. */
export async function listDataSources(): Promise<DataSource[]> {
  const groups = await db().run.groupBy({
    by: ["source"],
    _count: { _all: true },
    _sum: { resultCount: true },
    _min: { startedAt: true },
    _max: { finishedAt: true, receivedAt: true },
  });
  const out: DataSource[] = [];
  for (const g of groups) {
    const latest = await db().run.findFirst({ where: { source: g.source }, orderBy: { id: "desc" }, select: { meta: true } });
    out.push({
      source: g.source,
      runs: g._count._all,
      results: g._sum.resultCount ?? 0,
      firstAt: g._min.startedAt,
      lastAt: g._max.finishedAt ?? g._max.receivedAt,
      meta: (latest?.meta as Record<string, unknown> | null) ?? null,
    });
  }
  return out.sort((a, b) => b.results - a.results);
}
