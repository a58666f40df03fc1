import http from "node:http";
import { expect, test } from "@playwright/test";
import pg from "pg";

/**
 * Issue 11: a read stops when its client goes away, through the real server. `next start` aborts a
 * route handler's `request.signal` when the connection closes early; lib/db/abortable.ts turns that
 * into a cancel of the running query. The query is held by a lock another session keeps, so the
 * only way it can leave pg_stat_activity while the lock is held is by being cancelled.
 */
test("a client that hangs up cancels the query of its API request", async ({ baseURL }) => {
  const locker = new pg.Client({ connectionString: process.env.MODCOMPAT_E2E_DATABASE_URL });
  // A second session to look with: inside the locker's transaction pg_stat_activity stays one snapshot.
  const watcher = new pg.Client({ connectionString: process.env.MODCOMPAT_E2E_DATABASE_URL });
  await Promise.all([locker.connect(), watcher.connect()]);
  const waiting = async () =>
    (
      await watcher.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND wait_event_type = 'Lock'`,
      )
    ).rows.map((r) => r.pid);
  await locker.query("BEGIN");
  try {
    await locker.query(`LOCK TABLE "Kernel" IN ACCESS EXCLUSIVE MODE`);
    const req = http.get(`${baseURL}/api/v1/kernels?limit=2000`);
    req.on("error", () => {});
    let held: number[] = [];
    await expect.poll(async () => (held = await waiting()).length, { timeout: 30_000, message: "the request's query waits for the lock" }).toBeGreaterThan(0);
    req.destroy();
    await expect
      .poll(async () => (await waiting()).filter((p) => held.includes(p)).length, { timeout: 15_000, message: "the hung-up request's query is cancelled" })
      .toBe(0);
  } finally {
    await locker.query("ROLLBACK");
    await Promise.all([locker.end(), watcher.end()]);
  }
});
