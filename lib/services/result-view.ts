import type { Stage, Status } from "../domain/status";

interface ResultRow {
  id: number;
  arch: string;
  stage: string;
  status: string;
  finishedAt: Date;
  durationMs: number | null;
  errorLine: string | null;
  logExcerpt: string | null;
  logTruncated: boolean;
  logUrl: string | null;
  compiler: string | null;
}

type RunRef = { source: string; externalId: string; url: string | null };

/**
 * A stored result's own columns, typed: stage and status are stored as text and only ever written
 * from the STAGES / STATUSES vocabularies (the ingest schema checks them). Shared by the views
 * below and the exports (lib/services/kcidb/export-kcidb.ts).
 */
export function resultColumns(r: ResultRow) {
  return {
    id: r.id,
    arch: r.arch,
    stage: r.stage as Stage,
    status: r.status as Status,
    finishedAt: r.finishedAt,
    durationMs: r.durationMs,
    errorLine: r.errorLine,
    logExcerpt: r.logExcerpt,
    logTruncated: r.logTruncated,
    logUrl: r.logUrl,
    compiler: r.compiler,
  };
}

/** One raw result as pages and APIs show it (cell detail, cell history). */
export function toResultView<R extends RunRef>(r: ResultRow & { run: R }) {
  return { ...resultColumns(r), run: r.run };
}
export type ResultView<R extends RunRef = RunRef> = ReturnType<typeof toResultView<R>>;
