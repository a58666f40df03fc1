/** The advisory lock lib/services/record-results.ts takes for every ingest (pg_advisory_xact_lock). */
export const INGEST_LOCK = 727001;
