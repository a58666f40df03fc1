import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { inWriteTransaction } from "@/lib/db/write-transaction";
import { MAX_NAMED, preparedQuery, StatementNames } from "@/lib/db/prepared";
import { setPlanCacheMode, sql } from "@/lib/db/sql";

/**
 * Named statements (lib/db/prepared.ts): PostgreSQL parses a text once per connection and keeps
 * its plan, instead of planning it at every execution; and plan_cache_mode set for a transaction.
 */
describe("statement names", () => {
  it("give one text one name, other texts other names, and stop naming new texts past the cap", () => {
    const names = new StatementNames(3);
    const a = names.nameOf("SELECT 1");
    expect(a).toMatch(/^mc_[0-9a-f]{24}$/);
    expect(names.nameOf("SELECT 1")).toBe(a);
    expect(new StatementNames(3).nameOf("SELECT 1")).toBe(a); // the same name in every process
    const b = names.nameOf("SELECT 2");
    expect(b).not.toBe(a);
    names.nameOf("SELECT 3");
    expect(names.nameOf("SELECT 4")).toBeUndefined();
    expect(names.nameOf("SELECT 2")).toBe(b);
    expect(names.size).toBe(3);
    expect(MAX_NAMED).toBeGreaterThan(100);
  });

  it("are what node-pg gets: a named statement is prepared once on its connection and answers every time", async () => {
    const text = `SELECT $1::int + 1 AS n /* prepared-statements test ${Date.now()} */`;
    const name = preparedQuery(text, [1]).name;
    expect(name).toBeDefined();
    await inWriteTransaction(async (tx) => {
      for (let i = 0; i < 7; i++) expect(await tx.query<{ n: number }>(text, [i])).toEqual([{ n: i + 1 }]);
      const prepared = await tx.query<{ name: string; generic_plans: number; custom_plans: number }>(
        `SELECT name, generic_plans::int, custom_plans::int FROM pg_prepared_statements WHERE name = $1 /* not named: ${Date.now()} */`,
        [name],
      );
      // once on this connection, run 7 times: 5 custom plans, then the generic one kept
      expect(prepared).toEqual([{ name, generic_plans: 2, custom_plans: 5 }]);
    });
  });
});

describe("setPlanCacheMode", () => {
  it("sets the mode for the rest of the transaction, answers the one before, and leaves the connection as it was", async () => {
    const mode = async (tx: Parameters<Parameters<typeof inWriteTransaction>[0]>[0]) =>
      (await sql<{ m: string }>(tx, Prisma.sql`SELECT current_setting('plan_cache_mode') AS m`))[0].m;
    await inWriteTransaction(async (tx) => {
      expect(await mode(tx)).toBe("auto");
      expect(await setPlanCacheMode(tx, "force_generic_plan")).toBe("auto");
      expect(await mode(tx)).toBe("force_generic_plan");
      expect(await setPlanCacheMode(tx, "auto")).toBe("force_generic_plan");
      await setPlanCacheMode(tx, "force_generic_plan");
    });
    await inWriteTransaction(async (tx) => expect(await mode(tx)).toBe("auto"));
  });

  it("is set with BEGIN when the transaction asks, and a runner that knows its mode sends nothing to set it again", async () => {
    const mode = async (tx: Parameters<Parameters<typeof inWriteTransaction>[0]>[0]) =>
      (await sql<{ m: string }>(tx, Prisma.sql`SELECT current_setting('plan_cache_mode') AS m`))[0].m;
    await inWriteTransaction(
      async (tx) => {
        expect(await mode(tx)).toBe("force_generic_plan");
        let sent = 0;
        const counting = { ...tx, query: <T,>(text: string, params: readonly unknown[]) => (sent++, tx.query<T>(text, params)) };
        expect(await setPlanCacheMode(counting, "force_generic_plan")).toBe("force_generic_plan");
        expect(sent).toBe(0);
        expect(await setPlanCacheMode(counting, "auto")).toBe("force_generic_plan");
        expect(sent).toBe(1);
        expect(await mode(tx)).toBe("auto");
      },
      { planCacheMode: "force_generic_plan" },
    );
    await inWriteTransaction(async (tx) => expect(await mode(tx)).toBe("auto"));
  });
});
