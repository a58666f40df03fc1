import type { Status } from "./status";

/**
 * Shaping of a module's history for charts: pass rate per day (or week) and the distribution of
 * times to fix. Pure, so the page and the API show the same numbers.
 */

const DAY_MS = 86_400_000;

export interface PassRatePoint {
  /** first day of the bucket, YYYY-MM-DD (UTC) */
  start: string;
  pass: number;
  fail: number;
  /** pass / (pass + fail); null when the bucket has only errors and skips */
  rate: number | null;
}

export interface PassRateSeries {
  bucket: "day" | "week";
  points: PassRatePoint[];
  /** days between the first and the last result */
  spanDays: number;
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Buckets by UTC day, or by ISO week (Monday) when more than `maxDays` days are covered. */
export function passRateOverTime(results: readonly { at: Date; status: Status }[], maxDays = 120): PassRateSeries {
  if (results.length === 0) return { bucket: "day", points: [], spanDays: 0 };
  const times = results.map((r) => r.at.getTime());
  const first = Math.min(...times);
  const last = Math.max(...times);
  const spanDays = Math.floor(last / DAY_MS) - Math.floor(first / DAY_MS);
  const bucket = spanDays > maxDays ? "week" : "day";
  const startOf = (t: number) => {
    const day = Math.floor(t / DAY_MS) * DAY_MS;
    if (bucket === "day") return day;
    const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
    return day - weekday * DAY_MS;
  };
  const buckets = new Map<number, { pass: number; fail: number }>();
  for (const r of results) {
    const key = startOf(r.at.getTime());
    const b = buckets.get(key) ?? { pass: 0, fail: 0 };
    if (r.status === "pass") b.pass += 1;
    else if (r.status === "fail") b.fail += 1;
    buckets.set(key, b);
  }
  const points = [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, b]) => ({ start: isoDay(t), pass: b.pass, fail: b.fail, rate: b.pass + b.fail > 0 ? b.pass / (b.pass + b.fail) : null }));
  return { bucket, points, spanDays };
}

export const TIME_TO_FIX_BUCKETS = [
  { label: "< 1 day", maxDays: 1 },
  { label: "1–7 days", maxDays: 7 },
  { label: "1–4 weeks", maxDays: 30 },
  { label: "1–3 months", maxDays: 91 },
  { label: "3–6 months", maxDays: 182 },
  { label: "6–12 months", maxDays: 365 },
  { label: "> 1 year", maxDays: Infinity },
] as const;

export interface TimeToFixHistogram {
  buckets: { label: string; count: number }[];
  /** fixed, but the fix was seen in the same run as the failure, so how long it took is unknown */
  unknown: number;
  open: number;
}

export function timeToFixHistogram(incidents: readonly { status: "open" | "fixed"; timeToFixDays: number | null }[]): TimeToFixHistogram {
  const buckets = TIME_TO_FIX_BUCKETS.map((b) => ({ label: b.label, count: 0 }));
  let unknown = 0;
  let open = 0;
  for (const i of incidents) {
    if (i.status === "open") open += 1;
    else if (i.timeToFixDays === null) unknown += 1;
    else buckets[TIME_TO_FIX_BUCKETS.findIndex((b) => i.timeToFixDays! < b.maxDays)].count += 1;
  }
  return { buckets, unknown, open };
}

export interface TimelineBar {
  id: number;
  /** "6.12.95+deb12-amd64 · x86_64" */
  label: string;
  start: number;
  /** fixedAt, or now for open incidents */
  end: number;
  status: "open" | "fixed";
}

/** One bar per incident, oldest first; open ones run to `now`. */
export function timelineBars(
  incidents: readonly { id: number; firstBadKernel: string; arch: string; status: "open" | "fixed"; openedAt: Date; fixedAt: Date | null }[],
  now: Date,
): TimelineBar[] {
  return [...incidents]
    .sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime() || a.id - b.id)
    .map((i) => ({
      id: i.id,
      label: `${i.firstBadKernel} · ${i.arch}`,
      start: i.openedAt.getTime(),
      end: Math.max(i.openedAt.getTime(), (i.status === "open" || !i.fixedAt ? now : i.fixedAt).getTime()),
      status: i.status,
    }));
}
