/**
 * The hard cap on what one matrix page draws. A 1080p screen shows about 40 version rows and 70
 * kernel columns of 22 px; one page may draw a few screens of that, never a module's whole history
 * (38 versions × 5,032 kernels was a 57 MB page that rendered for 20 s). Past the cap the page
 * says so and offers the next window and narrower filters; the JSON API has its own cap.
 */
export const MATRIX_PAGE_LIMITS = {
  /** module version rows per page */
  maxVersionRows: 150,
  /** expanded kernel columns per page */
  maxKernelColumns: 150,
  /** version rows × expanded kernel columns, each a box with a link */
  maxBoxes: 6_000,
  /** version rows × series summary columns */
  maxSummaryBoxes: 12_000,
} as const;

export interface MatrixWindowInput {
  versions: number;
  series: number;
  /** kernels in the expanded series, in column order */
  expandedKernels: number;
  /** first version row and first expanded kernel column asked for (0-based) */
  versionStart?: number;
  kernelStart?: number;
}

export interface MatrixWindow {
  versionStart: number;
  versionEnd: number;
  kernelStart: number;
  kernelEnd: number;
  /** true when something was left out */
  capped: boolean;
}

/** Which rows and expanded columns one page draws: [start, end) of each, inside the limits. */
export function matrixWindow(input: MatrixWindowInput, limits = MATRIX_PAGE_LIMITS): MatrixWindow {
  const rowsBySummary = Math.floor(limits.maxSummaryBoxes / Math.max(1, input.series));
  const rows = Math.max(1, Math.min(limits.maxVersionRows, rowsBySummary));
  const versionStart = clamp(input.versionStart ?? 0, 0, Math.max(0, input.versions - 1));
  const versionEnd = Math.min(input.versions, versionStart + rows);
  const drawnRows = Math.max(1, versionEnd - versionStart);
  const cols = Math.max(1, Math.min(limits.maxKernelColumns, Math.floor(limits.maxBoxes / drawnRows)));
  const kernelStart = clamp(input.kernelStart ?? 0, 0, Math.max(0, input.expandedKernels - 1));
  const kernelEnd = Math.min(input.expandedKernels, kernelStart + cols);
  const capped = versionStart > 0 || versionEnd < input.versions || kernelStart > 0 || kernelEnd < input.expandedKernels;
  return { versionStart, versionEnd, kernelStart, kernelEnd, capped };
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.trunc(n)));

/** The kernels each series draws as columns: expanded series laid end to end, cut to the window. */
export function windowColumns<K>(series: readonly { series: string; expanded: boolean; kernels: readonly K[] }[], win: Pick<MatrixWindow, "kernelStart" | "kernelEnd">): Map<string, K[]> {
  const out = new Map<string, K[]>();
  let column = 0;
  for (const s of series) {
    if (!s.expanded) {
      out.set(s.series, []);
      continue;
    }
    out.set(s.series, s.kernels.slice(Math.max(0, win.kernelStart - column), Math.max(0, win.kernelEnd - column)));
    column += s.kernels.length;
  }
  return out;
}
