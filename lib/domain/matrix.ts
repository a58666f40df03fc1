import { STATUSES, worstStatus, type Status } from "./status";

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
  const total = statuses.length;
  // Across kernels (unlike across the stages of one build) a kernel the module declines does not
  // outweigh the kernels it builds on: 6 passes and 1 skip read as "pass", with the skip counted.
  let headline: GroupHeadline;
  if (total === 0) headline = "none";
  else if (counts.fail > 0) headline = counts.pass > 0 ? "mixed" : "fail";
  else if (counts.pass > 0) headline = "pass";
  else headline = counts.skip > 0 ? "skip" : "error";
  return { headline, counts, total };
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
