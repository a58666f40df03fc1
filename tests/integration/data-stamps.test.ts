import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { recordResults } from "@/lib/services/record-results";
import { result, uniqueAbi, uniqueTag } from "./helpers";

/**
 * The data stamps (migration 0013, lib/services/data-stamps.ts) move in the transaction of every
 * change a kept answer could depend on, whoever writes it, and only then. Any write counts, even
 * one that leaves the values as they were (so these leave the shared database as it was).
 */
const tag = uniqueTag();
const a = `stamp-a-${tag}`;
const b = `stamp-b-${tag}`;
const stampOf = async (slug: string) => (await db().module.findUniqueOrThrow({ where: { slug }, select: { dataStamp: true } })).dataStamp;
const kernelsStamp = async () => (await db().dataStamp.findUniqueOrThrow({ where: { key: "kernels" } })).value;

describe("data stamps", () => {
  it("a module's moves with its results, versions, row, cells and cell states, not with another module's", async () => {
    const kernel = `6.1.0-${uniqueAbi()}-amd64`;
    const run = (id: string, module: string, status: "pass" | "fail" = "pass") =>
      recordResults({ run: { source: `stamps-${tag}`, id }, results: [result({ module, moduleVersion: "1.0", kernel, status, ...(status === "fail" ? { errorLine: "error: x" } : {}) })] });
    await run("1", a);
    await run("2", b);
    const s0 = await stampOf(a);
    await run("3", b, "fail");
    expect(await stampOf(a)).toBe(s0);

    const changes: [string, () => Promise<unknown>][] = [
      ["a result", () => run("4", a, "fail")],
      ["the row", () => db().$executeRaw`UPDATE "Module" SET description = description WHERE slug = ${a}`],
      ["a version", () => db().$executeRaw`UPDATE "ModuleVersion" SET "declaredKernelMax" = "declaredKernelMax" WHERE "moduleId" = (SELECT id FROM "Module" WHERE slug = ${a})`],
      ["a cell", () => db().$executeRaw`UPDATE "Cell" SET "errorLine" = "errorLine" WHERE "moduleId" = (SELECT id FROM "Module" WHERE slug = ${a})`],
      ["cell states", () => db().$executeRaw`UPDATE "VersionCellStates" SET "cellCount" = "cellCount" WHERE "moduleVersionId" IN (SELECT v.id FROM "ModuleVersion" v JOIN "Module" m ON m.id = v."moduleId" WHERE m.slug = ${a})`],
    ];
    let before = await stampOf(a);
    for (const [what, change] of changes) {
      await change();
      const after = await stampOf(a);
      expect(after, what).not.toBe(before);
      before = after;
    }
  });

  it("the kernels' moves when a stored kernel's metadata changes, not when kernels are created", async () => {
    const kernel = `6.1.0-${uniqueAbi()}-amd64`;
    const k0 = await kernelsStamp();
    await recordResults({ run: { source: `stamps-${tag}`, id: "k1" }, results: [result({ module: a, moduleVersion: "2.0", kernel })] });
    expect(await kernelsStamp()).toBe(k0);
    await db().kernel.update({ where: { version: kernel }, data: { upstreamVersion: "6.1.999" } });
    const k1 = await kernelsStamp();
    expect(k1).not.toBe(k0);
    await db().kernel.update({ where: { version: kernel }, data: { upstreamVersion: "6.1.999" } });
    expect(await kernelsStamp()).toBe(k1);
  });
});
