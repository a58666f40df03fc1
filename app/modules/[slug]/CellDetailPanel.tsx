import { kernelPage } from "@/lib/links";
import { AppLink } from "@/app/components/AppLink";
import { getCell } from "@/lib/services/get-cell";
import { AppError } from "@/lib/services/errors";
import { STAGES } from "@/lib/domain/status";
import { StatusBadge } from "@/app/components/StatusBadge";
import { ErrorAndLog, LogLink, RunRef } from "@/app/components/ResultLog";
import { cellHistoryPath } from "@/app/components/history/format";
import { TableScroll } from "@/app/components/TableScroll";
import { FocusOnMount } from "@/app/components/FocusOnMount";
import { CellIncidentLinks } from "@/app/components/history/CellIncidentLinks";

/** The detail of one selected cell: status per stage and arch, the error, the logs. */
export async function CellDetailPanel({ slug, cell, closeHref }: { slug: string; cell: string; closeHref: string }) {
  const at = cell.indexOf("@");
  const version = cell.slice(0, at);
  const kernel = cell.slice(at + 1);
  let detail;
  try {
    if (at <= 0) throw new AppError("not_found", "cell");
    detail = await getCell({ slug, version, kernel, limit: 20 });
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return (
      <section role="alert" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
        No results for “{cell}”. <AppLink href={closeHref} className="underline">Close</AppLink>
      </section>
    );
  }
  return (
    <FocusOnMount label="Cell detail" className="rounded-lg border border-slate-300 bg-white p-4 shadow-sm" data={{ "data-testid": "cell-detail" }} closeHref={closeHref} focusKey={cell}>
      <div className="flex items-start justify-between">
        <h2 className="text-lg font-semibold">
          {slug} <span className="font-mono">{detail.version}</span> on{" "}
          <AppLink href={kernelPage(detail.kernel)} className="font-mono underline">
            {detail.kernel}
          </AppLink>
        </h2>
        <AppLink href={closeHref} scroll={false} className="text-sm text-slate-600 underline">
          Close ✕<span className="sr-only"> (Escape)</span>
        </AppLink>
      </div>
      <TableScroll label="Results of this cell"><table className="mt-3 text-sm">
        <thead className="text-left text-xs text-slate-500">
          <tr>
            <th className="pr-4">Arch</th>
            <th className="pr-4">Cell</th>
            {STAGES.map((s) => (
              <th key={s} className="pr-4">
                {s}
              </th>
            ))}
            <th className="pr-4">Last result</th>
            <th>Results</th>
          </tr>
        </thead>
        <tbody>
          {detail.arches.map((a) => (
            <tr key={a.arch}>
              <td className="pr-4 font-mono">{a.arch}</td>
              <td className="pr-4">
                <StatusBadge status={a.status} />
              </td>
              {STAGES.map((s) => (
                <td key={s} className="pr-4">
                  {a.stages[s] ? <StatusBadge status={a.stages[s]} compact /> : <span className="text-slate-500">—</span>}
                </td>
              ))}
              <td className="pr-4 text-xs">{a.lastResultAt.toISOString().replace("T", " ").slice(0, 16)} UTC</td>
              <td className="text-xs text-slate-600">
                {a.counts.pass} pass, {a.counts.fail} fail, {a.counts.error} error, {a.counts.skip} skip
              </td>
            </tr>
          ))}
        </tbody>
      </table></TableScroll>
      {detail.arches.some((a) => a.status === "fail") && <CellIncidentLinks slug={slug} version={detail.version} kernel={detail.kernel} />}
      {detail.arches.some((a) => a.errorLine) && (
        <p className="mt-3 text-sm">
          First error: <code className="rounded bg-red-50 px-1 text-red-900" data-testid="error-line">{detail.arches.find((a) => a.errorLine)?.errorLine}</code>
        </p>
      )}
      <h3 className="mt-4 text-sm font-semibold">
        Results (newest first){" "}
        <AppLink href={cellHistoryPath(slug, detail.version, detail.kernel)} className="ml-2 text-xs font-normal text-emerald-800 underline">
          full history of this cell →
        </AppLink>
      </h3>
      <ol className="mt-1 space-y-2">
        {detail.results.map((r) => (
          <li key={r.id} className="rounded border border-slate-200 p-2 text-xs">
            <div className="flex flex-wrap items-center gap-2">
              <StatusBadge status={r.status} />
              <span>{r.stage}</span>
              <span className="font-mono">{r.arch}</span>
              <span>{r.finishedAt.toISOString().replace("T", " ").slice(0, 16)} UTC</span>
              {r.durationMs != null && <span>{(r.durationMs / 1000).toFixed(1)} s</span>}
              {r.compiler && <span className="text-slate-500">{r.compiler}</span>}
              <span className="text-slate-500">
                run <RunRef run={r.run} />
              </span>
              <LogLink url={r.logUrl} />
            </div>
            <ErrorAndLog errorLine={r.errorLine} logExcerpt={r.logExcerpt} logTruncated={r.logTruncated} />
          </li>
        ))}
      </ol>
    </FocusOnMount>
  );
}
