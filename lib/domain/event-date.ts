/**
 * When did something happen to a module on a kernel? A breakage happened when the kernel that
 * breaks it came out, not when somebody happened to build it: a 2024 kernel built here in 2026 broke
 * the module in 2024. So an event is dated by a release date (of the first bad kernel, of the
 * fixing module version or kernel) when one is known, and by the time it was seen (the result's
 * time: the build, or the ingest) only otherwise. The seen time is always kept next to it, so the
 * pages can show both. This is the one place that rule lives: incidents (lib/domain/regressions.ts),
 * the pass-rate trend (lib/domain/history.ts) and the pages all call it.
 */

export const DATE_BASES = ["release", "seen"] as const;
export type DateBasis = (typeof DATE_BASES)[number];

export interface EventDate {
  at: Date;
  basis: DateBasis;
  /** when the result behind the event was recorded */
  seenAt: Date;
}

export function eventDate(releasedAt: Date | null | undefined, seenAt: Date): EventDate {
  return releasedAt ? { at: releasedAt, basis: "release", seenAt } : { at: seenAt, basis: "seen", seenAt };
}

const DAY_MS = 86_400_000;

/**
 * Days from a breakage to its fix, or null when that cannot be told honestly:
 *  - both dated by releases: the difference;
 *  - both seen: the difference, unless both were seen in the same run (then it says nothing);
 *  - break seen (its kernel undated), fix released: the difference, as before release dates of
 *    kernels were known; for a reporter that builds kernels as they come out, seen ≈ released;
 *  - break dated by its kernel's release, fix only seen: unknown, because a build seen today of a
 *    kernel released two years ago would read as a two-year wait.
 * A fix dated before the break (the module was ready before the kernel came out) counts as 0 days.
 */
export function daysToFix(opened: { at: Date; basis: DateBasis; runId?: number }, fixed: { at: Date; basis: DateBasis; runId?: number }): number | null {
  if (opened.basis === "release" && fixed.basis === "seen") return null;
  if (opened.basis === "seen" && fixed.basis === "seen" && opened.runId !== undefined && opened.runId === fixed.runId) return null;
  return Math.max(0, (fixed.at.getTime() - opened.at.getTime()) / DAY_MS);
}
