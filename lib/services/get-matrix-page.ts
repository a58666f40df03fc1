import type { Disagreement } from "../domain/declared-range";
import { summariseCounts } from "../domain/matrix";
import type { Status } from "../domain/status";
import type { MatrixQuery } from "../schemas/query";
import { countsOfTally, readMatrixColumns, seriesTally, statusOfHeld, type MatrixColumns } from "./get-matrix-compact";
import { matrixKernel, type MatrixSeries, type MatrixVersion, type MatrixView } from "./get-matrix";
import { declaredMismatchIndex } from "./history/declared-mismatches";
import { predictMatrixCells, type CellPrediction } from "./predictions/predict-matrix-cells";

/**
 * What the module page draws its matrix from. Like getMatrix's MatrixView, but cells are asked
 * for one at a time (`statusAt`): the page asks only for those in its window (MatrixTable,
 * lib/domain/matrix-window.ts), so no object is made for the other cells.
 */
export interface MatrixPageView extends Pick<MatrixView, "module" | "query" | "options" | "versions" | "series"> {
  /** the status of a version on a kernel, arches folded (foldKernelCells); undefined: no result */
  statusAt(versionId: number, kernelId: number): Status | undefined;
}

export interface MatrixPage {
  /** the versions with results only */
  view: MatrixPageView;
  /** versions known only by their declared range (OpenZFS META): listed under the matrix, not as empty rows */
  declaredOnly: MatrixVersion[];
  /** "versionId:kernelId" → the declared range the result contradicts */
  marks: Map<string, Disagreement>;
  /** "versionId:kernelId" → the predicted verdict of an empty cell of an expanded series */
  predictions: Map<string, CellPrediction>;
}

/** What getMatrixPage keeps per module and filters (not `expand`, `vstart`, `kstart`) for one data stamp. */
interface KeptColumns {
  at: number;
  stamp: string;
  cols: MatrixColumns;
  /** per series (cols.series order): its kernels and its summary per version id */
  series: { series: string; kernels: MatrixSeries["kernels"]; summary: MatrixSeries["summary"] }[];
  row: Map<number, number>;
}
const KEPT_TTL_MS = 60_000;
/** A 100-version × 400-kernel entry is about 2 MB. */
const KEPT_MAX = 4;
const kept = new Map<string, KeptColumns>();

/** Forget what getMatrixPage keeps (benchmarks of the uncached path, tests). */
export function forgetMatrixPageCache(): void {
  kept.clear();
}

/**
 * The module page's matrix, from the compact columns (readMatrixColumns: VersionCellStates, one
 * short row per version × series) instead of every Cell row: series summaries tallied from the
 * decoded states, kernel rows for the series, cells looked up only for what is drawn.
 * tests/integration/matrix-page.test.ts proves it the same as the page built from getMatrix.
 *
 * The decoded columns and summaries are kept per module and filters while the data stamp
 * (readMatrixColumns: the module's and the kernels', lib/services/data-stamps.ts) stays the same, for at
 * most a minute: expanding a series, paging the window or opening a cell reads no states again.
 */
export async function getMatrixPage(slug: string, query: MatrixQuery = {}): Promise<MatrixPage> {
  const key = JSON.stringify([slug, query.arch ?? null, query.distro ?? null, query.flavour ?? null, query.flavours ?? null, query.from ?? null, query.to ?? null]);
  const before = kept.get(key);
  const keptStamp = before && Date.now() - before.at < KEPT_TTL_MS ? before.stamp : null;
  const read = await readMatrixColumns(slug, query, keptStamp);
  let entry: KeptColumns;
  if (read === "unchanged") entry = before!;
  else {
    entry = {
      at: Date.now(),
      stamp: read.stamp,
      cols: read,
      series: read.series.map((s) => ({
        series: s.series,
        kernels: s.kernels.map((k) => matrixKernel({ ...k, releasedAt: k.releasedAt ? new Date(k.releasedAt) : null })),
        summary: Object.fromEntries(read.versions.map((v, vi) => [v.id, summariseCounts(countsOfTally(seriesTally(read, s, vi)))])),
      })),
      row: new Map(read.versions.map((v, vi) => [v.id, vi])),
    };
    kept.delete(key);
    kept.set(key, entry);
    for (const k of kept.keys()) {
      if (kept.size <= KEPT_MAX) break;
      kept.delete(k);
    }
  }
  const { cols, row } = entry;
  const expand = new Set(query.expand ?? []);
  return matrixPage(slug, {
    module: { slug: cols.module.slug, name: cols.module.name, description: cols.module.description, homepage: cols.module.homepage },
    query,
    options: cols.options,
    versions: cols.versions,
    series: entry.series.map((s) => ({ ...s, expanded: expand.has(s.series) })),
    statusAt: (versionId, kernelId) => {
      const vi = row.get(versionId);
      const held = vi === undefined ? undefined : cols.cells[vi].get(kernelId);
      return held === undefined ? undefined : statusOfHeld(held);
    },
  });
}

/** The page from a view of every version: splits off the declared-only versions, adds the declared-range marks and predictions. */
export async function matrixPage(slug: string, all: MatrixPageView): Promise<MatrixPage> {
  const view: MatrixPageView = { ...all, versions: all.versions.filter((v) => v.hasResults) };
  const [marks, predictions] = await Promise.all([
    // Marks need a declared range: most modules declare none, and then there is nothing to read.
    view.versions.some((v) => v.declaredKernelMin || v.declaredKernelMax)
      ? declaredMismatchIndex(slug, { arch: view.query.arch, kernelIds: new Set(view.series.flatMap((s) => s.kernels.map((k) => k.id))) })
      : new Map<string, Disagreement>(),
    predictMatrixCells({
      module: slug,
      versions: view.versions,
      kernels: view.series.filter((s) => s.expanded).flatMap((s) => s.kernels),
      filled: (versionId, kernelId) => view.statusAt(versionId, kernelId) !== undefined,
    }),
  ]);
  return { view, declaredOnly: all.versions.filter((v) => !v.hasResults), marks, predictions };
}
