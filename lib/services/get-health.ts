import { db } from "../db/client";
import { isDatabaseUnavailable } from "../db/availability";

/** Admission and microcache counters of this server process (kept by lib/http/serve.ts). */
export interface ServerCounters {
  /** answers replayed from the cache */
  hits: number;
  /** requests that waited for the running render of their URL and got its answer (or their own turn) */
  joined: number;
  /** requests handed to Next */
  renders: number;
  stored: number;
  storedBytes: number;
  /** requests in Next now, and waiting for their turn */
  running: number;
  waiting: number;
  /** waiting requests whose client left before their turn */
  dropped: number;
  /** requests refused with 503 because the queue was full */
  refused: number;
}

export interface Health {
  status: "ok" | "unavailable";
  app: {
    uptimeSeconds: number;
    node: string;
    /** this server process (`npm start` runs MODCOMPAT_WORKERS of them) */
    pid: number;
    /** under `npm start`: a reader (pages, read APIs) or the writer (ingests, other writes) */
    role?: "reader" | "writer";
    /** reader processes */
    workers: number;
    /** admission and the busy-server microcache of `npm start`'s front (lib/http/front.ts), as of the last second; absent under `next dev` */
    microcache?: ServerCounters;
  };
  database: { ok: boolean; latencyMs: number | null; error?: string };
}

const HEALTH_TIMEOUT_MS = 2_000;

/** App and database state for load balancers: one `SELECT 1`, bounded by a timeout. */
export async function getHealth(): Promise<Health> {
  const stats = (globalThis as { __modcompatMicrocacheStats?: () => NonNullable<Health["app"]["microcache"]> }).__modcompatMicrocacheStats;
  const app: Health["app"] = {
    uptimeSeconds: Math.round(process.uptime()),
    node: process.version,
    pid: process.pid,
    ...(process.env.MODCOMPAT_ROLE === "reader" || process.env.MODCOMPAT_ROLE === "writer" ? { role: process.env.MODCOMPAT_ROLE } : {}),
    workers: Number(process.env.MODCOMPAT_WORKERS) || 1,
    ...(stats ? { microcache: stats() } : {}),
  };
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db().$queryRaw`SELECT 1`,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
      }),
    ]);
    return { status: "ok", app, database: { ok: true, latencyMs: Math.round(performance.now() - t0) } };
  } catch (e) {
    const error = isDatabaseUnavailable(e) ? "unreachable" : e instanceof Error ? e.message.split("\n").at(-1)!.slice(0, 200) : "unknown error";
    return { status: "unavailable", app, database: { ok: false, latencyMs: null, error } };
  } finally {
    clearTimeout(timer);
  }
}
