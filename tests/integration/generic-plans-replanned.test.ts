import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The ingest runs its small batches' statements named, on generic plans that PostgreSQL makes once
 * per connection from the statistics it has then; only an ANALYZE of a table a plan reads replaces
 * it. The embedded server (lib/db/embedded.ts) has autovacuum look every 5 s, so a table that grows
 * from a handful of rows to thousands is analyzed, and the plans made for a handful replaced,
 * within seconds rather than a minute. Measured with a table that grows as the Kernel table of a
 * new install does under `npm run load`.
 */
describe("generic plans of a growing table", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  const table = `grow_${process.pid}_${Date.now()}`;
  beforeAll(async () => {
    await client.connect();
    await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, series text NOT NULL)`);
    await client.query(`INSERT INTO ${table} SELECT g, '6.' || (g % 3) FROM generate_series(1, 30) g`);
    await client.query(`ANALYZE ${table}`);
  });
  afterAll(async () => {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.end();
  });

  const plan = async () => {
    const rows = (await client.query<{ "QUERY PLAN": string }>("EXPLAIN EXECUTE grow_q(12345)")).rows;
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  };

  it("the embedded server looks for tables to analyze every 5 s", async () => {
    expect((await client.query<{ autovacuum_naptime: string }>("SHOW autovacuum_naptime")).rows[0].autovacuum_naptime).toBe("5s");
  });

  it("a plan made for 30 rows is replaced by autovacuum's ANALYZE once the table holds 20,000", async () => {
    await client.query("SET plan_cache_mode = force_generic_plan");
    await client.query(`PREPARE grow_q(int) AS SELECT series FROM ${table} WHERE id > $1 - 1 AND id < $1 + 1`);
    expect(await plan()).toMatch(/Seq Scan/); // 30 rows: one page, read whole
    await client.query(`INSERT INTO ${table} SELECT g, '6.' || (g % 3) FROM generate_series(31, 20000) g`);
    const deadline = Date.now() + 25_000;
    let analyzed = false;
    while (!analyzed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      const [row] = (await client.query<{ at: Date | null }>(`SELECT last_autoanalyze AS at FROM pg_stat_user_tables WHERE relname = $1`, [table])).rows;
      analyzed = row?.at != null;
    }
    expect(analyzed).toBe(true);
    expect(await plan()).toMatch(/Index Scan using \w+_pkey/);
  }, 30_000);
});
