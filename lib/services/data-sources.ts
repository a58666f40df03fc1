import { pgRead } from "../db/client";

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
 * DATA_SOURCES_SHOWN sources with the most results, and how many there are in all. One statement
 * whatever the number of sources (one query per source made every page slower with each new
 * reporter: 200 sources timed the home page out under load).
 */
export async function listDataSources(): Promise<{ sources: DataSource[]; total: number }> {
  // One statement through node-pg (pgRead): the note is on every page, and Prisma's groupBy plus a
  // second query cost several times the Node CPU of the read. Sources sort by results, then by
  // name in code-unit order (COLLATE "C"); dates travel as ISO text, so no time zone is assumed.
  const rows = await pgRead<{ source: string; runs: number; results: number; firstAt: string | null; lastAt: string | null; meta: unknown; total: number }>(
    `WITH g AS (
       SELECT source, count(*)::int AS runs, coalesce(sum("resultCount"), 0)::float8 AS results,
         min("startedAt") AS "firstAt", coalesce(max("finishedAt"), max("receivedAt")) AS "lastAt"
       FROM "Run" GROUP BY source
     ), top AS (SELECT * FROM g ORDER BY results DESC, source COLLATE "C" LIMIT $1)
     SELECT t.source, t.runs, t.results,
       to_char(t."firstAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "firstAt", to_char(t."lastAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "lastAt",
       (SELECT r.meta FROM "Run" r WHERE r.source = t.source ORDER BY r.id DESC LIMIT 1) AS meta,
       (SELECT count(*) FROM g)::int AS total
     FROM top t ORDER BY t.results DESC, t.source COLLATE "C"`,
    [DATA_SOURCES_SHOWN],
  );
  const sources: DataSource[] = rows.map((r) => ({
    source: r.source,
    runs: r.runs,
    results: r.results,
    firstAt: r.firstAt ? new Date(r.firstAt) : null,
    lastAt: r.lastAt ? new Date(r.lastAt) : null,
    meta: (r.meta as Record<string, unknown> | null) ?? null,
  }));
  return { sources, total: rows[0]?.total ?? 0 };
}
