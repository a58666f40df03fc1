import Link from "next/link";
import type { CellPrediction } from "@/lib/services/predictions/predict-matrix-cells";
import { upstreamNote } from "@/lib/domain/kernel-release";
import { STATUS_SYMBOL, type Status } from "@/lib/domain/status";
import { countsLabel } from "@/lib/domain/matrix";
import type { MatrixCell, MatrixKernel, MatrixView } from "@/lib/services/get-matrix";
import { HEADLINE_CLASS, STATUS_CLASS } from "@/app/components/status-style";
import { hrefWith, type SearchParams } from "./url";
import type { Disagreement } from "@/lib/domain/declared-range";
import { DeclaredMark } from "@/app/components/history/DeclaredMark";
import { matrixWindow, windowColumns } from "@/lib/domain/matrix-window";
import { MatrixWindowNote } from "./MatrixWindowNote";

/** Hatched, dashed: a predicted verdict must never look like a result. */
const PREDICTED_CLASS: Record<CellPrediction["outcome"], string> = {
  fail: "border-red-400 text-red-800 bg-[repeating-linear-gradient(45deg,#fee2e2_0,#fee2e2_2px,transparent_2px,transparent_5px)]",
  pass: "border-green-500 text-green-800 bg-[repeating-linear-gradient(45deg,#dcfce7_0,#dcfce7_2px,transparent_2px,transparent_5px)]",
  unknown: "border-slate-300 text-slate-500",
};

const HEADLINE_SYMBOL = { ...STATUS_SYMBOL, mixed: "◐", none: "·" } as const;

/** "6.1.0-56-amd64 · Linux 6.1.192 · released 2025-10-01 (changelog…)": every date with its source. */
function kernelTitle(k: MatrixKernel): string {
  const parts = [k.version];
  if (k.upstreamVersion) parts.push(`Linux ${k.upstreamVersion}`);
  parts.push(k.releasedAt ? `released ${k.releasedAt.toISOString().slice(0, 10)} (${k.releasedAtSource ?? "source not recorded"})` : "release date unknown");
  if (k.upcoming) parts.push("upcoming: rc or experimental");
  return parts.join(" · ");
}

/**
 * Rows are module versions (newest first); columns are kernel series in kernel order, each a
 * summary that expands into its kernels on demand, so 100 versions × 400 kernels stays readable.
 */
export function MatrixTable({
  base,
  view,
  current,
  selected,
  marks,
  predictions,
}: {
  base: string;
  view: MatrixView;
  current: SearchParams;
  selected?: string;
  marks?: ReadonlyMap<string, Disagreement>;
  /** predicted verdicts of empty cells (lib/services/predictions/predict-matrix-cells.ts), drawn hatched */
  predictions?: ReadonlyMap<string, CellPrediction>;
}) {
  const cells = new Map<string, MatrixCell>(view.cells.map((c) => [`${c.versionId}:${c.kernelId}`, c]));
  const expanded = new Set(view.series.filter((s) => s.expanded).map((s) => s.series));
  // Bounded by construction: only the window's rows and expanded kernel columns are drawn.
  const expandedKernels = view.series.reduce((n, s) => n + (s.expanded ? s.kernels.length : 0), 0);
  const win = matrixWindow({
    versions: view.versions.length,
    series: view.series.length,
    expandedKernels,
    versionStart: view.query.vstart,
    kernelStart: view.query.kstart,
  });
  const versions = view.versions.slice(win.versionStart, win.versionEnd);
  const shown = windowColumns(view.series, win);
  const toggle = (series: string) => {
    const next = new Set(expanded);
    if (next.has(series)) next.delete(series);
    else next.add(series);
    return hrefWith(base, current, { expand: [...next], cell: null, kstart: null });
  };
  return (
    <>
    {win.capped && <MatrixWindowNote base={base} view={view} current={current} win={win} expandedKernels={expandedKernels} />}
    <div className="max-h-[75vh] overflow-auto rounded border border-slate-200 bg-white" data-testid="matrix">
      <table className="border-separate border-spacing-0 text-xs">
        <thead className="sticky top-0 z-20 bg-white">
          <tr>
            <th className="sticky left-0 z-30 border-b border-r border-slate-200 bg-white px-2 py-1 text-left align-bottom">Version \ Kernel</th>
            {view.series.flatMap((s) => [
              <th key={s.series} scope="col" className="border-b border-l border-slate-200 bg-slate-100 px-1 py-1 align-bottom">
                <Link href={toggle(s.series)} scroll={false} className="whitespace-nowrap font-semibold text-slate-800 hover:underline" aria-expanded={s.expanded} title={`${s.kernels.length} kernels in ${s.series}; click to ${s.expanded ? "collapse" : "expand"}`}>
                  {s.expanded ? "▾" : "▸"} {s.series}
                  <span className="ml-1 font-normal text-slate-500">({s.kernels.length})</span>
                </Link>
              </th>,
              ...(s.expanded
                ? shown.get(s.series)!.map((k) => (
                    <th key={k.id} scope="col" className="h-40 border-b border-slate-200 px-0.5 py-1 align-bottom font-normal">
                      <Link
                        href={`/kernels/${encodeURIComponent(k.version)}`}
                        className="inline-block whitespace-nowrap font-mono text-[11px] text-slate-700 [writing-mode:vertical-rl] rotate-180 hover:underline"
                        title={kernelTitle(k)}
                      >
                        {k.version}
                        {upstreamNote(k.version, k.upstreamVersion) && <span className="text-slate-400"> · {k.upstreamVersion}</span>}
                        {k.upcoming && <span className="text-violet-700"> · rc</span>}
                      </Link>
                    </th>
                  ))
                : []),
            ])}
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id}>
              <th
                scope="row"
                className="sticky left-0 z-10 whitespace-nowrap border-r border-t border-slate-200 bg-white px-2 py-1 text-left font-mono font-medium"
                title={v.releasedAt ? `released ${v.releasedAt.toISOString().slice(0, 10)} — ${v.releasedAtSource ?? "source not recorded"}` : "release date unknown"}
              >
                {v.version}
                {(v.declaredKernelMin || v.declaredKernelMax) && (
                  <div className="font-sans text-[10px] font-normal text-slate-500" title="kernel range the module version declares">
                    declares {v.declaredKernelMin ?? "…"}–{v.declaredKernelMax ?? "…"}
                  </div>
                )}
              </th>
              {view.series.flatMap((s) => {
                const sum = s.summary[v.id];
                const summaryCell = (
                  <td key={s.series} className="border-l border-t border-slate-200 p-0.5">
                    {sum.total === 0 ? (
                      <span className={`block rounded border px-1 py-0.5 text-center ${HEADLINE_CLASS.none}`} title="no results">
                        ·
                      </span>
                    ) : (
                      // A plain span, not a link: at 100 versions × 40 series the page stays light;
                      // the series header above expands the column.
                      <span title={`${s.series}: ${countsLabel(sum.counts)}`} data-status={sum.headline} className={`block whitespace-nowrap rounded border px-1 py-0.5 text-center ${HEADLINE_CLASS[sum.headline]}`}>
                        {HEADLINE_SYMBOL[sum.headline]} {sum.headline === "mixed" ? `${sum.counts.pass}/${sum.total}` : sum.total}
                        <DeclaredMark kind={s.kernels.map((k) => marks?.get(`${v.id}:${k.id}`)).find(Boolean)} />
                      </span>
                    )}
                  </td>
                );
                if (!s.expanded) return [summaryCell];
                return [
                  summaryCell,
                  ...shown.get(s.series)!.map((k) => {
                    const c = cells.get(`${v.id}:${k.id}`);
                    const key = `${v.version}@${k.version}`;
                    const predicted = c ? undefined : predictions?.get(`${v.id}:${k.id}`);
                    if (predicted) {
                      return (
                        <td key={k.id} className="border-t border-slate-100 p-0.5">
                          <span
                            data-predicted={predicted.outcome}
                            title={`${v.version} on ${k.version}: no result; ${predicted.label}${predicted.footprintKernel ? `, from its build on ${predicted.footprintKernel}` : ""}`}
                            className={`block rounded border border-dashed px-1 py-0.5 text-center text-xs ${PREDICTED_CLASS[predicted.outcome]}`}
                          >
                            {predicted.outcome === "fail" ? "✗?" : "✓?"}
                            <span className="sr-only"> predicted: {predicted.label}</span>
                          </span>
                        </td>
                      );
                    }
                    if (!c) return <td key={k.id} className="border-t border-slate-100 p-0.5 text-center text-slate-300" title="no result">·</td>;
                    return (
                      <td key={k.id} className="border-t border-slate-100 p-0.5">
                        <Link
                          href={hrefWith(base, current, { cell: key })}
                          scroll={false}
                          data-status={c.status}
                          data-cell={key}
                          title={`${v.version} on ${k.version}: ${c.status}${c.errorLine ? ` — ${c.errorLine}` : ""}`}
                          className={`block rounded border px-1 py-0.5 text-center ${STATUS_CLASS[c.status as Status]} ${selected === key ? "ring-2 ring-slate-900" : ""}`}
                        >
                          {STATUS_SYMBOL[c.status]}
                          <DeclaredMark kind={marks?.get(`${v.id}:${k.id}`)} />
                          <span className="sr-only"> {c.status}</span>
                        </Link>
                      </td>
                    );
                  }),
                ];
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    </>
  );
}
