/**
 * Admission control of one server process (issue 11, capacity): at most `maxConcurrent` reads
 * (GET, HEAD) and writeSlots(maxConcurrent) writes (POST and the rest: ingests) are handed to Next
 * at a time; the others wait in arrival order, reads and writes in queues of their own, so an
 * ingest never waits behind a backlog of page renders. A waiting request whose client
 * has gone is dropped before it costs anything, and one that comes to its turn while the server is
 * busy may be answered from the microcache that the requests before it filled. Past `maxQueue`
 * waiting requests the server answers 503 with Retry-After at once.
 *
 * Without it, 200 clients meant 200 renders interleaved in one process: each took the time of all
 * of them, memory grew with every render in progress (1.4 GB), and renders went on for minutes
 * after their clients had timed out.
 */
export interface AdmissionConfig {
  maxConcurrent: number | null;
  maxQueue: number;
}

export const ADMISSION_DEFAULTS: AdmissionConfig = { maxConcurrent: 8, maxQueue: 1_000 };

/** Seconds a client is asked to wait when the queue is full. */
export const QUEUE_FULL_RETRY_AFTER = 5;

/** MODCOMPAT_CONCURRENCY: "off", or "<concurrent>" or "<concurrent>/<queue>" (default 8/1000). */
export function admissionConfig(env: NodeJS.ProcessEnv = process.env): AdmissionConfig {
  const text = env.MODCOMPAT_CONCURRENCY?.trim();
  if (!text) return ADMISSION_DEFAULTS;
  if (/^(off|none)$/i.test(text)) return { ...ADMISSION_DEFAULTS, maxConcurrent: null };
  const m = /^(\d{1,4})(?:\s*\/\s*(\d{1,6}))?$/.exec(text);
  if (!m || Number(m[1]) < 1 || (m[2] !== undefined && Number(m[2]) < 1)) {
    throw new Error(`invalid MODCOMPAT_CONCURRENCY "${text}": use <concurrent requests> or <concurrent>/<queue> (e.g. 8/1000), or off`);
  }
  return { maxConcurrent: Number(m[1]), maxQueue: m[2] === undefined ? ADMISSION_DEFAULTS.maxQueue : Number(m[2]) };
}

/** Writes in Next at once beside `maxConcurrent` reads: half as many, at least one. */
export function writeSlots(maxConcurrent: number): number {
  return Math.max(1, Math.ceil(maxConcurrent / 2));
}
