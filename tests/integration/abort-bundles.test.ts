import { describe, expect, inject, it, vi } from "vitest";

/**
 * Issue 11: Next bundles instrumentation.ts (the webhook worker) apart from the route handlers, so
 * a process holds two copies of lib/db/abortable.ts. The pool is made by whichever copy calls db()
 * first. A read must stop with its client whichever copy made the pool: with one async store per
 * copy, a process whose webhook worker made the pool never stopped a read (seen with two server
 * processes, where one of them served no request before its first webhook poll).
 */
describe("the abort signal crosses copies of lib/db/abortable.ts", () => {
  it("a pool made by one copy refuses a connection to a request aborted under the other copy", async () => {
    const poolCopy = await import("@/lib/db/abortable");
    vi.resetModules();
    const routeCopy = await import("@/lib/db/abortable");
    expect(routeCopy.AbortablePool).not.toBe(poolCopy.AbortablePool);

    const pool = new poolCopy.AbortablePool({ connectionString: inject("databaseUrl"), max: 1 });
    try {
      const aborted = AbortSignal.abort(new Error("client gone"));
      await expect(routeCopy.withAbortSignal(aborted, () => pool.query("SELECT 1"))).rejects.toThrow(/client went away/);
      // the same pool outside any request still works
      expect((await pool.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
