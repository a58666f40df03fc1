/**
 * How long what a process keeps between requests (the check's cache, the matrix columns and
 * answers) may be used. Each entry is also checked against the data stamps it was read at, so the
 * lifetime is a safety net, not what keeps answers right; it is a minute plus up to a quarter of
 * that at random. Without the spread, entries made together (a reader's warm-up, the first seconds
 * after a restart) all ran out in the same second, a minute later, and were read again at once:
 * under `npm run load` the 10 s window where that happened served 20–30 % fewer requests, with page
 * p95 about 1 s longer.
 */
export const KEPT_LIFETIME_MS = 60_000;

/** The time until which an entry kept now may be used. */
export function keptUntil(now = Date.now(), random = Math.random()): number {
  return now + KEPT_LIFETIME_MS * (1 + random / 4);
}
