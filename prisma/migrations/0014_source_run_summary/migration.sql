-- Prisma's driver-adapter migrate splits a script at every semicolon: function bodies are E'' strings
-- with \073 for theirs, and no comment here holds one.
-- What each source's runs add up to, for the provenance note on the pages (lib/services/data-sources.ts).
-- The note grouped every Run by source on every page view: work that grew with every run ever
-- received. Triggers keep one row per source in the transaction of any change to Run, whoever
-- writes it, and `modcompat db reindex` rebuilds the table from Run.
CREATE TABLE "SourceRunSummary" (
    "source" TEXT NOT NULL,
    "runs" INTEGER NOT NULL,
    "results" BIGINT NOT NULL,
    "firstStartedAt" TIMESTAMP(3),
    "lastFinishedAt" TIMESTAMP(3),
    "lastReceivedAt" TIMESTAMP(3) NOT NULL,
    "lastRunId" INTEGER NOT NULL,

    CONSTRAINT "SourceRunSummary_pkey" PRIMARY KEY ("source")
);

-- New runs add to their sources' rows (once per statement, not per row).
CREATE FUNCTION modcompat_source_runs_added() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN INSERT INTO "SourceRunSummary" AS s (source, runs, results, "firstStartedAt", "lastFinishedAt", "lastReceivedAt", "lastRunId") SELECT source, count(*)::int, coalesce(sum("resultCount"), 0), min("startedAt"), max("finishedAt"), max("receivedAt"), max(id) FROM added GROUP BY source ON CONFLICT (source) DO UPDATE SET runs = s.runs + EXCLUDED.runs, results = s.results + EXCLUDED.results, "firstStartedAt" = LEAST(s."firstStartedAt", EXCLUDED."firstStartedAt"), "lastFinishedAt" = GREATEST(s."lastFinishedAt", EXCLUDED."lastFinishedAt"), "lastReceivedAt" = GREATEST(s."lastReceivedAt", EXCLUDED."lastReceivedAt"), "lastRunId" = GREATEST(s."lastRunId", EXCLUDED."lastRunId")\073 RETURN NULL\073 END';
CREATE TRIGGER "Run_summary_insert" AFTER INSERT ON "Run" REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION modcompat_source_runs_added();

-- Changed or deleted runs (rare: nothing in the app does either) count their sources again.
CREATE FUNCTION modcompat_recount_source_runs(names text[]) RETURNS void LANGUAGE sql AS E'DELETE FROM "SourceRunSummary" WHERE source = ANY(names)\073 INSERT INTO "SourceRunSummary" (source, runs, results, "firstStartedAt", "lastFinishedAt", "lastReceivedAt", "lastRunId") SELECT source, count(*)::int, coalesce(sum("resultCount"), 0), min("startedAt"), max("finishedAt"), max("receivedAt"), max(id) FROM "Run" WHERE source = ANY(names) GROUP BY source';
CREATE FUNCTION modcompat_source_runs_updated() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN PERFORM modcompat_recount_source_runs(ARRAY(SELECT source FROM old_rows UNION SELECT source FROM new_rows))\073 RETURN NULL\073 END';
CREATE TRIGGER "Run_summary_update" AFTER UPDATE ON "Run" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION modcompat_source_runs_updated();
CREATE FUNCTION modcompat_source_runs_deleted() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN PERFORM modcompat_recount_source_runs(ARRAY(SELECT DISTINCT source FROM old_rows))\073 RETURN NULL\073 END';
CREATE TRIGGER "Run_summary_delete" AFTER DELETE ON "Run" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION modcompat_source_runs_deleted();
CREATE FUNCTION modcompat_source_runs_truncated() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN DELETE FROM "SourceRunSummary"\073 RETURN NULL\073 END';
CREATE TRIGGER "Run_summary_truncate" AFTER TRUNCATE ON "Run" FOR EACH STATEMENT EXECUTE FUNCTION modcompat_source_runs_truncated();

-- The runs stored before this migration.
INSERT INTO "SourceRunSummary" (source, runs, results, "firstStartedAt", "lastFinishedAt", "lastReceivedAt", "lastRunId")
SELECT source, count(*)::int, coalesce(sum("resultCount"), 0), min("startedAt"), max("finishedAt"), max("receivedAt"), max(id) FROM "Run" GROUP BY source;
