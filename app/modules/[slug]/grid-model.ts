import { upstreamNote } from "@/lib/domain/kernel-release";
import { STATUS_SYMBOL, type Status } from "@/lib/domain/status";
import { encodeCounts } from "@/lib/domain/matrix";
import type { Disagreement } from "@/lib/domain/declared-range";
import { matrixWindow, windowColumns, type MatrixWindow } from "@/lib/domain/matrix-window";
import type { MatrixKernel } from "@/lib/services/get-matrix";
import type { MatrixPageView } from "@/lib/services/get-matrix-page";
import type { CellPrediction } from "@/lib/services/predictions/predict-matrix-cells";
import type { GridProps } from "./MatrixGrid";
import { hrefWith, type SearchParams } from "./url";

/** "6.1.0-56-amd64 · Linux 6.1.192 · released 2025-10-01 (changelog…)": every date with its source. */
function kernelTitle(k: MatrixKernel): string {
  const parts = [k.version];
  if (k.upstreamVersion) parts.push(`Linux ${k.upstreamVersion}`);
  parts.push(k.releasedAt ? `released ${k.releasedAt.toISOString().slice(0, 10)} (${k.releasedAtSource ?? "source not recorded"})` : "release date unknown");
  if (k.upcoming) parts.push("upcoming: rc or experimental");
  return parts.join(" · ");
}

/** One letter per cell in the grid's compact props; "." = no result. */
const STATUS_CODE: Record<Status, string> = { pass: "p", fail: "f", error: "e", skip: "s" };

export interface GridModelInput {
  base: string;
  view: MatrixPageView;
  current: SearchParams;
  selected?: string;
  marks?: ReadonlyMap<string, Disagreement>;
  /** predicted verdicts of empty cells (lib/services/predictions/predict-matrix-cells.ts), drawn hatched */
  predictions?: ReadonlyMap<string, CellPrediction>;
}

/**
 * The matrix grid's props (its view model): rows are module versions (newest first); columns are
 * kernel series, **newest first**, each a summary that expands into its kernels (newest first), so
 * the top-left corner is the newest version on the newest kernel. Bounded by construction: only
 * the window's rows and expanded kernel columns are drawn, and only their cells are asked for.
 */
export function matrixGridModel({ base, view, current, selected, marks, predictions }: GridModelInput): { props: GridProps; win: MatrixWindow; expandedKernels: number } {
  const series = [...view.series].reverse().map((s) => ({ ...s, kernels: [...s.kernels].reverse() }));
  const expanded = new Set(series.filter((s) => s.expanded).map((s) => s.series));
  const expandedKernels = series.reduce((n, s) => n + (s.expanded ? s.kernels.length : 0), 0);
  const win = matrixWindow({
    versions: view.versions.length,
    series: series.length,
    expandedKernels,
    versionStart: view.query.vstart,
    kernelStart: view.query.kstart,
  });
  const versions = view.versions.slice(win.versionStart, win.versionEnd);
  const shown = windowColumns(series, win);
  const toggle = (name: string) => {
    const next = new Set(expanded);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    return hrefWith(base, current, { expand: [...next], cell: null, kstart: null });
  };
  // Versions with a mark at all: the others' summaries need no lookup per kernel (100 × 400 of them).
  const markedVersions = new Set([...(marks?.keys() ?? [])].map((k) => Number(k.slice(0, k.indexOf(":")))));
  const markList: GridProps["marks"] = [];
  const predictedList: GridProps["predicted"] = [];
  const props: GridProps = {
    cellHref: hrefWith(base, current, { cell: "__CELL__" }),
    selected: selected ?? null,
    versions: versions.map((v) => ({
      version: v.version,
      title: v.releasedAt ? `released ${v.releasedAt.toISOString().slice(0, 10)} — ${v.releasedAtSource ?? "source not recorded"}` : "release date unknown",
      declared: v.declaredKernelMin || v.declaredKernelMax ? `${v.declaredKernelMin ?? "…"}–${v.declaredKernelMax ?? "…"}` : null,
    })),
    series: series.map((s) => {
      const ks = shown.get(s.series)!;
      return {
        series: s.series,
        count: s.kernels.length,
        expanded: s.expanded,
        toggleHref: toggle(s.series),
        summaries: versions.map((v) => encodeCounts(s.summary[v.id].counts)),
        kernels: ks.map((k) => ({
          version: k.version,
          title: kernelTitle(k),
          note: upstreamNote(k.version, k.upstreamVersion) ? (k.upstreamVersion ?? null) : null,
          rc: k.upcoming,
        })),
        cells: versions.map((v, row) =>
          ks
            .map((k, col) => {
              const status = view.statusAt(v.id, k.id);
              const mark = marks?.get(`${v.id}:${k.id}`);
              if (mark) markList.push([s.series, row, col, mark]);
              const p = status ? undefined : predictions?.get(`${v.id}:${k.id}`);
              if (p && p.outcome !== "unknown") {
                predictedList.push([s.series, row, col, p.outcome, `${p.label}${p.footprintKernel ? `, from its build on ${p.footprintKernel}` : ""}`]);
              }
              return status ? STATUS_CODE[status] : ".";
            })
            .join(""),
        ),
        // A summary's declared-range mark: the first marked kernel of the series on that row.
        summaryMarks: versions.map((v) => (markedVersions.has(v.id) ? (s.kernels.map((k) => marks?.get(`${v.id}:${k.id}`)).find(Boolean) ?? null) : null)),
      };
    }),
    marks: markList,
    predicted: predictedList,
    symbols: STATUS_SYMBOL,
  };
  return { props, win, expandedKernels };
}
