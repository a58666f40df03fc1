import { STATUSES, STATUS_SYMBOL, worstStatus, type Status } from "./status";

/**
 * Shaping rules for the compatibility matrix: how several arches fold into one cell and how a
 * series column summarises its kernels. Pure, so the page and the API show the same thing.
 */

export type StatusCounts = Record<Status, number>;
export const emptyCounts = (): StatusCounts => ({ pass: 0, fail: 0, error: 0, skip: 0 });

/** A series (or any group of cells) reads as one status, or `mixed` when it both passes and fails. */
export type GroupHeadline = Status | "mixed" | "none";

export interface GroupSummary {
  headline: GroupHeadline;
  counts: StatusCounts;
  total: number;
}

export function summariseGroup(statuses: readonly Status[]): GroupSummary {
  const counts = emptyCounts();
  for (const s of statuses) counts[s] += 1;
  return { headline: headlineOf(counts), counts, total: statuses.length };
}

/**
 * Across kernels (unlike across the stages of one build) a kernel the module declines does not
 * outweigh the kernels it builds on: 6 passes and 1 skip read as "pass", with the skip counted.
 */
export function headlineOf(counts: StatusCounts): GroupHeadline {
  if (counts.fail > 0) return counts.pass > 0 ? "mixed" : "fail";
  if (counts.pass > 0) return "pass";
  if (counts.skip > 0) return "skip";
  return counts.error > 0 ? "error" : "none";
}

/** Counts in a few bytes ("19,,1," = 19 pass, 1 error; "" = none), for the matrix grid's props. */
export function encodeCounts(c: StatusCounts): string {
  return STATUSES.every((s) => c[s] === 0) ? "" : STATUSES.map((s) => c[s] || "").join(",");
}

export function decodeCounts(text: string): GroupSummary {
  const parts = text.split(",");
  const counts = emptyCounts();
  STATUSES.forEach((s, i) => (counts[s] = Number(parts[i] || 0)));
  return summariseCounts(counts);
}

/** summariseGroup for statuses already counted (the compact readers tally instead of listing). */
export function summariseCounts(counts: StatusCounts): GroupSummary {
  return { headline: headlineOf(counts), counts, total: STATUSES.reduce((n, s) => n + counts[s], 0) };
}

/**
 * The one rule for what a series summary says, stated in the legend (SERIES_SUMMARY_RULE):
 * the headline is decided by pass and fail alone (both → mixed); skip and error are never counted
 * as passes or failures, they are shown apart after a "·" ("✓ 2 · – 1" is 2 passes and 1 skip).
 * Only a series with neither pass nor fail takes its headline from skip, then error.
 */
export const SERIES_SUMMARY_RULE =
  "A series summary counts passes (✓) and failures (✗) only; kernels the module declines (–) and environment errors (!) are shown apart after “·”. Both passes and failures: ◐ mixed.";

export function summaryText(summary: Pick<GroupSummary, "counts" | "total">): string {
  const { counts } = summary;
  if (summary.total === 0) return "·";
  const verdicts = (["pass", "fail"] as const).filter((s) => counts[s] > 0).map((s) => `${STATUS_SYMBOL[s]} ${counts[s]}`);
  const apart = (["skip", "error"] as const).filter((s) => counts[s] > 0).map((s) => `${STATUS_SYMBOL[s]} ${counts[s]}`);
  if (verdicts.length === 0) return apart.join(" · ");
  return [verdicts.join(" "), ...apart].join(" · ");
}

/** Cells of several arches for the same version × kernel fold like stages: worst meaningful wins. */
export function foldArches(statuses: readonly Status[]): Status | null {
  return worstStatus(statuses);
}

export interface ArchCell {
  arch: string;
  status: Status;
}

export interface FoldedKernelCells<C extends ArchCell> {
  status: Status;
  /** every arch with its own status, in arch order */
  arches: { arch: string; status: Status }[];
  /** the cell whose status is the folded one (the first such arch): its error line and log are the ones shown */
  decisive: C;
}

const byArch = (a: ArchCell, b: ArchCell) => (a.arch < b.arch ? -1 : a.arch > b.arch ? 1 : 0);

/**
 * One module version on one kernel over its arches, the one rule behind the matrix, the kernel
 * page, the check's evidence and its bare cell states: foldArches gives the status, and the error
 * line shown comes from an arch that has that status. Null for no cells.
 */
export function foldKernelCells<C extends ArchCell>(cells: readonly C[]): FoldedKernelCells<C> | null {
  if (cells.length === 0) return null;
  if (cells.length === 1) return { status: cells[0].status, arches: [{ arch: cells[0].arch, status: cells[0].status }], decisive: cells[0] };
  const sorted = [...cells].sort(byArch);
  const status = foldArches(sorted.map((c) => c.status))!;
  return { status, arches: sorted.map((c) => ({ arch: c.arch, status: c.status })), decisive: sorted.find((c) => c.status === status)! };
}

/** Group items by a key, keeping first-seen order of the keys. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export function countsLabel(counts: StatusCounts): string {
  return STATUSES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(", ");
}
