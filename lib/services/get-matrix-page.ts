import type { Disagreement } from "../domain/declared-range";
import { summariseCounts } from "../domain/matrix";
import type { Status } from "../domain/status";
import type { MatrixQuery } from "../schemas/query";
import { countsOfTally, readMatrixColumns, seriesTally, statusOfHeld, type MatrixColumns } from "./get-matrix-compact";
import { matrixKernel, type MatrixSeries, type MatrixVersion, type MatrixView } from "./get-matrix";
import { declaredMismatchIndex, listDeclaredMismatches, marksOf, type DeclaredMismatch } from "./history/declared-mismatches";
import { getModuleSupport, moduleSupportOf, type ModuleSupportDetail } from "./get-module-support";
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
  /** the module's support state for the page's panel (kept with the columns by getMatrixPage) */
  support(): Promise<ModuleSupportDetail>;
}

/**
 * What the module page shows beside its matrix that is read from the module's own data: its
 * declared-range mismatches (the matrix's marks) and its support state. Both change only with
 * the module's or the kernels' data stamp, so getMatrixPage keeps them with the columns.
 */
export interface ModuleDerived {
  /** every mismatch, all arches and kernels (marksOf filters them for a view) */
  mismatches(): Promise<readonly DeclaredMismatch[]>;
  support(): Promise<ModuleSupportDetail>;
}

/** ModuleDerived read once each, when first asked for; a failed read is asked again next time. */
export function moduleDerived(moduleId: number): ModuleDerived {
  let mismatches: Promise<readonly DeclaredMismatch[]> | null = null;
  let support: Promise<ModuleSupportDetail> | null = null;
  const forgetting = <T>(p: Promise<T>, forget: () => void) => p.catch((e: unknown) => (forget(), Promise.reject(e)));
  return {
    mismatches: () => (mismatches ??= forgetting(listDeclaredMismatches(moduleId).then((r) => r.mismatches), () => (mismatches = null))),
    support: () => (support ??= forgetting(moduleSupportOf(moduleId), () => (support = null))),
  };
}

/** What getMatrixPage keeps per module and filters (not `expand`, `vstart`, `kstart`) for one data stamp. */
interface KeptColumns {
  at: number;
  stamp: string;
  cols: MatrixColumns;
  /** per series (cols.series order): its kernels and its summary per version id */
  series: { series: string; kernels: MatrixSeries["kernels"]; summary: MatrixSeries["summary"] }[];
  row: Map<number, number>;
  derived: ModuleDerived;
  weight: number;
}
const KEPT_TTL_MS = 60_000;
/**
 * What the kept entries may weigh together, in 4-byte units (an entry's `weight`): about 8 MB. A
 * count alone does not fit: a demo module's entry is a few thousand units, a 100-version ×
 * 400-kernel one about 110,000. With 4 entries, as before, a site of 40 modules read its columns,
 * marks and support again on most module pages.
 */
const KEPT_WEIGHT = 2_000_000;
const KEPT_MAX = 512;
let keptWeight = 0;
/** An entry's weight: a 4-byte held value per version × kernel, about 100 bytes per series summary and 200 per kernel row. */
export function keptColumnsWeight(versions: number, series: readonly { kernels: readonly unknown[] }[]): number {
  const kernels = series.reduce((n, s) => n + s.kernels.length, 0);
  return versions * (kernels + 25 * series.length) + 50 * kernels;
}
const kept = new Map<string, KeptColumns>();

/** Keep (or touch) an entry as the most recently used; least recently used first out, but never the one just kept. */
function keep(key: string, entry: KeptColumns): void {
  const old = kept.get(key);
  if (old) {
    kept.delete(key);
    keptWeight -= old.weight;
  }
  kept.set(key, entry);
  keptWeight += entry.weight;
  for (const [k, e] of kept) {
    if ((keptWeight <= KEPT_WEIGHT && kept.size <= KEPT_MAX) || e === entry) break;
    kept.delete(k);
    keptWeight -= e.weight;
  }
}

/** Forget what getMatrixPage keeps (benchmarks of the uncached path, tests). */
export function forgetMatrixPageCache(): void {
  kept.clear();
  keptWeight = 0;
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
      derived: moduleDerived(read.module.id),
      weight: keptColumnsWeight(read.versions.length, read.series),
    };
  }
  keep(key, entry);
  const { cols, row } = entry;
  const expand = new Set(query.expand ?? []);
  return matrixPage(
    slug,
    {
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
    },
    entry.derived,
  );
}

/**
 * The page from a view of every version: splits off the declared-only versions, adds the
 * declared-range marks and predictions. `derived`: the module's mismatches as kept with its
 * columns; without it they are read by slug.
 */
export async function matrixPage(slug: string, all: MatrixPageView, derived?: ModuleDerived): Promise<MatrixPage> {
  const view: MatrixPageView = { ...all, versions: all.versions.filter((v) => v.hasResults) };
  const shown = { arch: view.query.arch, kernelIds: new Set(view.series.flatMap((s) => s.kernels.map((k) => k.id))) };
  const [marks, predictions] = await Promise.all([
    // Marks need a declared range: most modules declare none, and then there is nothing to read.
    !view.versions.some((v) => v.declaredKernelMin || v.declaredKernelMax)
      ? new Map<string, Disagreement>()
      : derived
        ? derived.mismatches().then((m) => marksOf(m, shown))
        : declaredMismatchIndex(slug, shown),
    predictMatrixCells({
      module: slug,
      versions: view.versions,
      kernels: view.series.filter((s) => s.expanded).flatMap((s) => s.kernels),
      filled: (versionId, kernelId) => view.statusAt(versionId, kernelId) !== undefined,
    }),
  ]);
  return {
    view,
    declaredOnly: all.versions.filter((v) => !v.hasResults),
    marks,
    predictions,
    support: derived ? derived.support : () => getModuleSupport(slug),
  };
}
