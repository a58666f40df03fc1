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

/** Sources shown on a page: any token can create sources, so the note lists the largest ones. */
export const DATA_SOURCES_SHOWN = 10;

/**
 * Where the stored results come from, shown on the pages so nobody mistakes a demo for data: the
 * DATA_SOURCES_SHOWN sources with the most results, and how many there are in all. Two queries
 * whatever the number of sources (one query per source made every page slower with each new
 * reporter: 200 sources timed the home page out under load).
 */
export async function listDataSources(): Promise<{ sources: DataSource[]; total: number }> {
  const groups = await db().run.groupBy({
    by: ["source"],
    _count: { _all: true },
    _sum: { resultCount: true },
    _min: { startedAt: true },
    _max: { finishedAt: true, receivedAt: true },
  });
  const top = groups.sort((a, b) => (b._sum.resultCount ?? 0) - (a._sum.resultCount ?? 0) || (a.source < b.source ? -1 : 1)).slice(0, DATA_SOURCES_SHOWN);
  const names = top.map((g) => g.source);
  const latest =
    names.length === 0
      ? []
      : await db().$queryRaw<{ source: string; meta: unknown }[]>`
          SELECT DISTINCT ON (source) source, meta FROM "Run" WHERE source = ANY(${names}) ORDER BY source, id DESC`;
  const metaOf = new Map(latest.map((r) => [r.source, r.meta]));
  const sources: DataSource[] = top.map((g) => ({
    source: g.source,
    runs: g._count._all,
    results: g._sum.resultCount ?? 0,
    firstAt: g._min.startedAt,
    lastAt: g._max.finishedAt ?? g._max.receivedAt,
    meta: (metaOf.get(g.source) as Record<string, unknown> | null) ?? null,
  }));
  return { sources, total: groups.length };
}
