import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GET as matrixRoute } from "@/app/api/v1/modules/[slug]/matrix/route";
import { GET as kernelsRoute } from "@/app/api/v1/kernels/route";
import { GET as knownRoute } from "@/app/api/v1/results/known/route";
import { GET as kcidbExportRoute } from "@/app/api/v1/export/kcidb/route";
import { GET as junitExportRoute } from "@/app/api/v1/export/junit/route";
import { abortCounts } from "@/lib/db/abortable";
import type { RouteCtx } from "@/lib/http/route";
import { recordResults } from "@/lib/services/record-results";
import { ingestBody, result, uniqueAbi, uniqueTag } from "./helpers";

/**
 * Issue 11, "rendering stops when the client goes away": an expensive read whose client hung up
 * stops its database work. The database is made to hold the request's query (another session
 * locks the tables it reads), so the query is seen running in pg_stat_activity; then the client
 * aborts. The query must leave pg_stat_activity while the lock is still held, which only a
 * cancel can do: without one it waits for the lock for as long as the lock is held.
 */

const tag = uniqueTag();
const slug = `abort-${tag}`;
const source = `abort-${tag}`;
const TABLES = `"Module", "ModuleVersion", "Kernel", "Run", "Result", "Cell", "VersionCellStates"`;

type Handler = (req: Request, ctx: RouteCtx) => Promise<Response>;
const READS: [string, Handler, string, Record<string, string>][] = [
  ["matrix", matrixRoute, `/api/v1/modules/${slug}/matrix`, { slug }],
  ["compact matrix", matrixRoute, `/api/v1/modules/${slug}/matrix?format=compact`, { slug }],
  ["kernels list", kernelsRoute, "/api/v1/kernels", {}],
  ["known results", knownRoute, `/api/v1/results/known?source=${source}`, {}],
  ["KCIDB export", kcidbExportRoute, `/api/v1/export/kcidb?module=${slug}`, {}],
  ["JUnit export", junitExportRoute, `/api/v1/export/junit?module=${slug}`, {}],
];

let locker: pg.Client;
/** A second session to look with: inside the locker's transaction pg_stat_activity stays one snapshot. */
let watcher: pg.Client;

beforeAll(async () => {
  const abi = uniqueAbi();
  await recordResults(ingestBody(source, "r1", ["1.0", "2.0"].flatMap((v) => [0, 1].map((i) => result({ module: slug, moduleVersion: v, kernel: `6.1.0-${abi + i}-amd64` })))));
  locker = new pg.Client({ connectionString: inject("databaseUrl") });
  watcher = new pg.Client({ connectionString: inject("databaseUrl") });
  await Promise.all([locker.connect(), watcher.connect()]);
});
afterAll(async () => {
  await Promise.all([locker.end(), watcher.end()]);
});

/** Backends of this database whose statement waits for a lock (the locker's, necessarily). */
async function waitingOnLock(): Promise<number[]> {
  const { rows } = await watcher.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND wait_event_type = 'Lock'`,
  );
  return rows.map((r) => r.pid);
}

/** Polls until `done` holds; a bound against hanging, not a speed target. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting (15 s): ${what}`);
}

describe("a read whose client goes away stops its database work", () => {
  for (const [name, handler, path, params] of READS) {
    it(`${name}: the running query is cancelled while the lock is still held, and the pool stays healthy`, async () => {
      const cancelledBefore = abortCounts.cancelled;
      await locker.query("BEGIN");
      let pending: Promise<Response> | null = null;
      try {
        await locker.query(`LOCK TABLE ${TABLES} IN ACCESS EXCLUSIVE MODE`);
        const client = new AbortController();
        pending = handler(new Request(new URL(path, "http://localhost"), { signal: client.signal }), { params: Promise.resolve(params) });
        const held = await until(waitingOnLock, (pids) => pids.length > 0, "the request's query to wait for the lock");
        client.abort();
        await until(waitingOnLock, (pids) => !pids.some((p) => held.includes(p)), "the aborted request's query to leave pg_stat_activity");
        const res = await pending;
        pending = null;
        expect(res.status).toBe(499);
        expect(abortCounts.cancelled).toBeGreaterThan(cancelledBefore);
      } finally {
        await locker.query("ROLLBACK");
        await pending?.catch(() => undefined);
      }
      // The cancelled connection was closed, not handed to the next request.
      const again = await handler(new Request(new URL(path, "http://localhost")), { params: Promise.resolve(params) });
      expect(again.status).toBe(200);
    });
  }

  it("a request aborted before it starts runs no query at all", async () => {
    const refusedBefore = abortCounts.refused;
    const client = new AbortController();
    client.abort();
    const res = await matrixRoute(new Request(new URL(`/api/v1/modules/${slug}/matrix`, "http://localhost"), { signal: client.signal }), { params: Promise.resolve({ slug }) });
    expect(res.status).toBe(499);
    expect(abortCounts.refused).toBeGreaterThan(refusedBefore);
  });
});
