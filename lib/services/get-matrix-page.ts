import type { Disagreement } from "../domain/declared-range";
import { summariseCounts } from "../domain/matrix";
import type { Status } from "../domain/status";
import type { MatrixQuery } from "../schemas/query";
import { countsOfTally, readMatrixColumns, statusOfHeld, tallyRow } from "./get-matrix-compact";
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

/**
 * The module page's matrix, from the compact columns (readMatrixColumns: VersionCellStates, one
 * short row per version × series) instead of every Cell row: series summaries tallied from the
 * decoded states, kernel rows for the series, cells looked up only for what is drawn.
 * tests/integration/matrix-page.test.ts proves it the same as the page built from getMatrix.
 */
export async function getMatrixPage(slug: string, query: MatrixQuery = {}): Promise<MatrixPage> {
  const cols = await readMatrixColumns(slug, query);
  if (cols === "unchanged") throw new Error("readMatrixColumns without a kept stamp cannot be unchanged");
  const expand = new Set(query.expand ?? []);
  const series: MatrixSeries[] = cols.series.map((s) => ({
    series: s.series,
    expanded: expand.has(s.series),
    kernels: s.kernels.map((k) => matrixKernel({ ...k, releasedAt: k.releasedAt ? new Date(k.releasedAt) : null })),
    summary: Object.fromEntries(cols.versions.map((v, vi) => [v.id, summariseCounts(countsOfTally(tallyRow(cols.cells[vi], s.kernels)))])),
  }));
  const row = new Map(cols.versions.map((v, vi) => [v.id, vi]));
  return matrixPage(slug, {
    module: { slug: cols.module.slug, name: cols.module.name, description: cols.module.description, homepage: cols.module.homepage },
    query,
    options: cols.options,
    versions: cols.versions,
    series,
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
    declaredMismatchIndex(slug, { arch: view.query.arch, kernelIds: new Set(view.series.flatMap((s) => s.kernels.map((k) => k.id))) }),
    predictMatrixCells({
      module: slug,
      versions: view.versions,
      kernels: view.series.filter((s) => s.expanded).flatMap((s) => s.kernels),
      filled: (versionId, kernelId) => view.statusAt(versionId, kernelId) !== undefined,
    }),
  ]);
  return { view, declaredOnly: all.versions.filter((v) => !v.hasResults), marks, predictions };
}
