import { ExternalLink } from "./ExternalLink";

/** How one raw result's run, error and log are shown wherever results are listed as evidence. */

export function RunRef({ run }: { run: { source: string; externalId: string; url: string | null } }) {
  const label = `${run.source}/${run.externalId}`;
  return run.url ? (
    <ExternalLink href={run.url} className="underline">
      {label}
    </ExternalLink>
  ) : (
    <>{label}</>
  );
}

export function LogLink({ url }: { url: string | null }) {
  return url ? (
    <ExternalLink href={url} className="text-xs text-emerald-800 underline">
      full log
    </ExternalLink>
  ) : null;
}

export function ErrorAndLog(props: { errorLine: string | null; logExcerpt: string | null; logTruncated: boolean; open?: boolean }) {
  return (
    <>
      {props.errorLine && <p className="mt-1 break-words font-mono text-xs text-red-900">{props.errorLine}</p>}
      {props.logExcerpt && (
        <details className="mt-1" open={props.open}>
          <summary className="cursor-pointer text-xs text-slate-600">log excerpt{props.logTruncated ? " (truncated)" : ""}</summary>
          {/* Focusable: a keyboard must be able to scroll a long log (WCAG 2.1.1). */}
          <pre tabIndex={0} aria-label="Build log excerpt" className="mt-1 max-h-80 overflow-auto whitespace-pre-wrap rounded bg-slate-900 p-2 text-[11px] text-slate-100 focus-visible:outline-2 focus-visible:outline-blue-400">{props.logExcerpt}</pre>
        </details>
      )}
    </>
  );
}
