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

/**
 * 2 reads (8 writes) per process, measured with `npm run load` (200 clients × 60 s, 2 cores, quiet,
 * 2 processes): 8 reads and 4 writes gave 35 requests/s with ingest p95 25 s; 3/6 46.5/s, 7.7 s;
 * 2/8 50.3/s, 6.3 s; 1/8 55/s, 3.4 s but page p95 10.2 s instead of 8.4 s. A render holds the event
 * loop for tens of milliseconds at a time, and every statement of an ingest's transaction waits for
 * the loop: fewer renders at once make each ingest's round trips, and so the whole, faster.
 */
export const ADMISSION_DEFAULTS: AdmissionConfig = { maxConcurrent: 2, maxQueue: 1_000 };

/** Seconds a client is asked to wait when the queue is full. */
export const QUEUE_FULL_RETRY_AFTER = 5;

/** MODCOMPAT_CONCURRENCY: "off", or "<concurrent reads>" or "<concurrent reads>/<queue>" (default 2/1000). */
export function admissionConfig(env: NodeJS.ProcessEnv = process.env): AdmissionConfig {
  const text = env.MODCOMPAT_CONCURRENCY?.trim();
  if (!text) return ADMISSION_DEFAULTS;
  if (/^(off|none)$/i.test(text)) return { ...ADMISSION_DEFAULTS, maxConcurrent: null };
  const m = /^(\d{1,4})(?:\s*\/\s*(\d{1,6}))?$/.exec(text);
  if (!m || Number(m[1]) < 1 || (m[2] !== undefined && Number(m[2]) < 1)) {
    throw new Error(`invalid MODCOMPAT_CONCURRENCY "${text}": use <concurrent reads> or <concurrent reads>/<queue> (e.g. 2/1000), or off`);
  }
  return { maxConcurrent: Number(m[1]), maxQueue: m[2] === undefined ? ADMISSION_DEFAULTS.maxQueue : Number(m[2]) };
}

/**
 * Writes in Next at once beside `maxConcurrent` reads: four times as many. An ingest spends its time
 * waiting for PostgreSQL, a read rendering in Node, so writes in progress cost the loop little.
 */
export function writeSlots(maxConcurrent: number): number {
  return maxConcurrent * 4;
}

export type Lane = "reads" | "writes";

/**
 * Which queue a request waits in, and under `npm start` which server process answers it: writes
 * (ingests, imports, webhook changes) go to the writer process, so a transaction's round trips
 * never wait behind a page render's event loop; reads, including the bulk check's POST, go to the
 * readers.
 */
export function laneOf(method: string, pathname: string): Lane {
  if (method === "GET" || method === "HEAD") return "reads";
  if (method === "POST" && /^\/api\/v1\/check\/?$/.test(pathname)) return "reads";
  return "writes";
}
