import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { forgetKernelRows, kernelRowsOf } from "@/lib/services/kernel-rows";
import { recordResults } from "@/lib/services/record-results";
import { result, uniqueAbi, uniqueTag } from "./helpers";

/**
 * Kernel rows kept per process while the kernels' stamp holds (lib/services/kernel-rows.ts): read
 * once, read again when a kernel's metadata changes (which moves the stamp), and a new kernel is
 * read the first time it is named.
 */
const tag = uniqueTag();
const abi = uniqueAbi();
const stamp = async () => (await db().$queryRaw<{ v: string }[]>`SELECT "value"::text AS v FROM "DataStamp" WHERE "key" = 'kernels'`)[0].v;
const idOf = async (version: string) => (await db().kernel.findUniqueOrThrow({ where: { version } })).id;

describe("kernel rows", () => {
  it("are kept while the kernels' stamp holds, in kernel order, and follow a change of metadata", async () => {
    const [older, newer] = [`6.1.0-${abi}-amd64`, `6.1.0-${abi + 1}-amd64`];
    await recordResults({ run: { source: `kernel-rows-${tag}`, id: "a" }, results: [result({ module: `kr-${tag}`, kernel: newer }), result({ module: `kr-${tag}`, kernel: older })] });
    const ids = [await idOf(newer), await idOf(older)];
    forgetKernelRows();
    const s1 = await stamp();
    const first = await kernelRowsOf(ids, s1);
    expect(first.map((k) => k.version)).toEqual([older, newer]);
    expect(first[0]).toMatchObject({ series: "6.1", distro: "debian", releasedAt: null });

    // A column outside the stamp's trigger changes without moving it: the kept row is what comes back,
    // so no statement was made.
    await db().$executeRaw`UPDATE "Kernel" SET "releasedAtSource" = "releasedAtSource", "sortKey" = "sortKey" || 'x' WHERE id = ${ids[1]}`;
    expect(await stamp()).toBe(s1);
    expect((await kernelRowsOf([ids[1]], s1))[0].sortKey.endsWith("x")).toBe(false);

    // A date moves the stamp: the rows are read again.
    await db().$executeRaw`UPDATE "Kernel" SET "releasedAt" = '2026-10-01T00:00:00Z' WHERE id = ${ids[1]}`;
    const s2 = await stamp();
    expect(s2).not.toBe(s1);
    const again = await kernelRowsOf([ids[1]], s2);
    expect(again[0].releasedAt).toBe("2026-10-01T00:00:00.000Z");
    expect(again[0].sortKey.endsWith("x")).toBe(true);
    await db().$executeRaw`UPDATE "Kernel" SET "sortKey" = left("sortKey", -1) WHERE id = ${ids[1]}`;

    // A new kernel is read when first named, beside the kept ones.
    const newest = `6.1.0-${abi + 2}-amd64`;
    await recordResults({ run: { source: `kernel-rows-${tag}`, id: "b" }, results: [result({ module: `kr-${tag}`, kernel: newest })] });
    expect(await stamp()).toBe(s2);
    const all = await kernelRowsOf([...ids, await idOf(newest), 2_000_000_000], s2);
    expect(all.map((k) => k.version)).toEqual([older, newer, newest]);
  });
});
