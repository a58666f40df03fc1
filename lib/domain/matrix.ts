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
  let headline: GroupHeadline;
  if (total === 0) headline = "none";
  else if (counts.fail > 0 && counts.pass > 0) headline = "mixed";
  else headline = worstStatus(statuses) ?? "none";
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
