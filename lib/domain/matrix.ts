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

export function countsLabel(counts: StatusCounts): string {
  return STATUSES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(", ");
}
