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
 * over one row per source (SourceRunSummary, kept by triggers on Run: migration 0014), so a page's
 * work does not grow with the runs received; it grouped every run on every view before.
 */
export async function listDataSources(): Promise<{ sources: DataSource[]; total: number }> {
  // node-pg (pgRead): the note is on every page. Sources sort by results, then by name in code-unit
  // order (COLLATE "C"); dates travel as ISO text, so no time zone is assumed.
  const rows = await pgRead<{ source: string; runs: number; results: number; firstAt: string | null; lastAt: string | null; meta: unknown; total: number }>(
    `SELECT s.source, s.runs, s.results::float8 AS results,
       to_char(s."firstStartedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "firstAt",
       to_char(coalesce(s."lastFinishedAt", s."lastReceivedAt"), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "lastAt",
       (SELECT r.meta FROM "Run" r WHERE r.id = s."lastRunId") AS meta,
       (SELECT count(*) FROM "SourceRunSummary")::int AS total
     FROM "SourceRunSummary" s ORDER BY s.results DESC, s.source COLLATE "C" LIMIT $1`,
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
