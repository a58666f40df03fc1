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

/** One raw result as pages and APIs show it (cell detail, cell history). */
export function toResultView<R extends RunRef>(r: ResultRow & { run: R }) {
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
    run: r.run,
  };
}
export type ResultView<R extends RunRef = RunRef> = ReturnType<typeof toResultView<R>>;
