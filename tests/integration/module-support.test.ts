import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { pgRead } from "@/lib/db/client";
import { getModuleSupport } from "@/lib/services/get-module-support";
import { loadModuleSupport, MODULE_SUPPORT_SQL } from "@/lib/services/module-support";
import { listModules } from "@/lib/services/list-modules";
import { recordResults } from "@/lib/services/record-results";
import { result, uniqueAbi, uniqueTag } from "./helpers";

const tag = uniqueTag();
const abi = uniqueAbi();
const K510 = `5.10.0-${abi}-amd64`;
const K61 = `6.1.0-${abi}-amd64`;
const K612 = `6.12.${abi % 90000}+deb13-amd64`;
const RC = `7.3-rc7-amd64`;

describe("orphaned modules: the module list and page say so", () => {
  it("a module that fails on every kernel built here is orphaned, with its errors linked to signatures", async () => {
    const iet = `iet-${tag}`;
    const fail = (version: string, kernel: string, errorLine: string) => result({ module: iet, moduleVersion: version, kernel, status: "fail", errorLine });
    await recordResults({
      run: { source: `support-${tag}`, id: "1" },
      results: [
        fail("1.4.19", K510, "error: field 'rx_hash' has incomplete type"),
        fail("1.4.19", K61, "error: field 'rx_hash' has incomplete type"),
        fail("1.4.20", K510, "error: 'PAGE_CACHE_SHIFT' undeclared (first use in this function)"),
        fail("1.4.20", K612, "error: 'PAGE_CACHE_SHIFT' undeclared (first use in this function)"),
        result({ module: iet, moduleVersion: "1.4.20", kernel: RC, status: "fail", errorLine: "error: 'PAGE_CACHE_SHIFT' undeclared" }),
      ],
    });
    const [m] = await listModules({ q: iet });
    expect(m.support).toMatchObject({ state: "orphaned", version: "1.4.20", lastKernel: null, failingSeries: ["5.10", "6.12"], builtSeries: { oldest: "5.10", newest: "6.12" } });
    expect(m.support.sentence).toContain("the last kernel it built on is older than anything built here");
    const detail = await getModuleSupport(iet);
    expect(detail.errors).toHaveLength(1);
    expect(detail.errors[0].signature?.symbol).toBe("PAGE_CACHE_SHIFT");
    expect(detail.errors[0].kernels.map((k) => k.version)).toEqual([K510, K612]);
  });

  it("a module that passes on an older series and fails on the newest one is behind, not orphaned", async () => {
    const mod = `behind-${tag}`;
    await recordResults({
      run: { source: `support-${tag}`, id: "2" },
      results: [
        result({ module: mod, kernel: K61, status: "pass" }),
        result({ module: mod, kernel: K612, status: "fail", errorLine: "error: implicit declaration of function 'strlcpy'" }),
      ],
    });
    const [m] = await listModules({ q: mod });
    expect(m.support).toMatchObject({ state: "behind", lastKernel: K61, failingSeries: ["6.12"] });
  });
});

describe("the support state reads only the module's cells (issue 14)", () => {
  it("finds each module's newest built version and its cells by index, never by scanning the Cell table", async () => {
    // A module with 40 versions × 600 kernels (24,000 cells), so the Cell table is large enough
    // for the planner to prefer hashing all of it, as it did at 10 M results on every module page.
    const mod = `support-plan-${tag}`;
    const planAbi = uniqueAbi();
    const kernels = Array.from({ length: 600 }, (_, i) => `5.10.0-${planAbi + i}-amd64`);
    await recordResults({ run: { source: `support-${tag}`, id: "3" }, results: kernels.map((kernel) => result({ module: mod, moduleVersion: "1.0", kernel })) });
    const [{ id: moduleId }] = await pgRead<{ id: number }>(`SELECT id FROM "Module" WHERE slug = $1`, [mod]);
    const support = (await loadModuleSupport([moduleId])).get(moduleId)!;
    expect(support).toMatchObject({ version: "1.0", state: "current" });

    // 39 more versions' cells make the module big enough for the planner to weigh a scan. They are
    // made up (cells without results), so they live in a transaction that is rolled back: the test
    // database is shared, and `db reindex --check` (reindex.test.ts) checks every stored row.
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    const scans: string[] = [];
    try {
      await client.query("BEGIN");
      await client.query(
        `WITH v AS (
           INSERT INTO "ModuleVersion" ("moduleId", version, "sortKey") SELECT $1, '0.' || i, '0000.' || lpad(i::text, 4, '0') FROM generate_series(1, 39) i RETURNING id)
         INSERT INTO "Cell" ("moduleVersionId", "kernelId", arch, "moduleId", status, stages, "passCount", "failCount", "errorCount", "skipCount", "lastResultId", "lastResultAt")
         SELECT v.id, c."kernelId", c.arch, c."moduleId", 'fail', c.stages, 0, 1, 0, 0, c."lastResultId", c."lastResultAt"
         FROM v CROSS JOIN "Cell" c WHERE c."moduleId" = $1`,
        [moduleId],
      );
      await client.query(`ANALYZE "Cell"`);
      await client.query(`ANALYZE "ModuleVersion"`);
      const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${MODULE_SUPPORT_SQL}`, [[moduleId]]);
      const walk = (n: PlanNode) => {
        if (n["Relation Name"] === "Cell") scans.push(n["Node Type"]);
        for (const c of n.Plans ?? []) walk(c);
      };
      walk(rows[0]["QUERY PLAN"][0].Plan);
    } finally {
      await client.query("ROLLBACK").catch(() => {});
      await client.end();
    }
    expect(scans.length).toBeGreaterThan(0);
    expect(scans).not.toContain("Seq Scan");
  });
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}
