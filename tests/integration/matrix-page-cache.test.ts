import { describe, expect, it } from "vitest";
import { pgRead } from "@/lib/db/client";
import { readMatrixColumns } from "@/lib/services/get-matrix-compact";
import { getMatrixPage } from "@/lib/services/get-matrix-page";
import { recordResults } from "@/lib/services/record-results";
import { ingestBody, result, uniqueAbi, uniqueTag } from "./helpers";

/**
 * The module page keeps its decoded matrix columns per data stamp (issue 14: no states read again
 * to expand a series or page the window). The stamp is the highest Result id and a digest of the
 * module's version rows, so what changes without new results (a declared range from OpenZFS META,
 * a release date) is seen at once, as are new results.
 */
describe("the matrix columns' data stamp", () => {
  it("holds while nothing changes, and moves with new results or a changed version row", async () => {
    const tag = uniqueTag();
    const slug = `page-cache-${tag}`;
    const abi = uniqueAbi();
    const kernels = [0, 1, 2].map((i) => `6.1.0-${abi + i}-amd64`);
    await recordResults(ingestBody(`page-cache-${tag}`, "r1", ["1.0", "2.0"].flatMap((v) => kernels.map((kernel) => result({ module: slug, moduleVersion: v, kernel })))));

    const first = await readMatrixColumns(slug);
    if (first === "unchanged") throw new Error("no kept stamp was given");
    expect(await readMatrixColumns(slug, {}, first.stamp)).toBe("unchanged");
    const before = await getMatrixPage(slug);
    expect(before.view.versions.map((v) => [v.version, v.declaredKernelMax])).toEqual([["2.0", null], ["1.0", null]]);
    expect((await getMatrixPage(slug)).view.versions).toEqual(before.view.versions);

    // A declared range arrives without results (as an OpenZFS META import does).
    await pgRead(`UPDATE "ModuleVersion" SET "declaredKernelMax" = '6.0' WHERE version = '2.0' AND "moduleId" = (SELECT id FROM "Module" WHERE slug = $1)`, [slug]);
    const moved = await readMatrixColumns(slug, {}, first.stamp);
    expect(moved).not.toBe("unchanged");
    const after = await getMatrixPage(slug);
    expect(after.view.versions.map((v) => [v.version, v.declaredKernelMax])).toEqual([["2.0", "6.0"], ["1.0", null]]);
    expect([...after.marks.values()]).toEqual(["undeclared-but-passes", "undeclared-but-passes", "undeclared-but-passes"]);

    // New results: a failing cell shows on the next page read.
    await recordResults(ingestBody(`page-cache-${tag}`, "r2", [result({ module: slug, moduleVersion: "1.0", kernel: kernels[0], status: "fail", errorLine: "error: x" })]));
    const withFail = await getMatrixPage(slug);
    const v1 = withFail.view.versions.find((v) => v.version === "1.0")!;
    expect(withFail.view.statusAt(v1.id, (await pgRead<{ id: number }>(`SELECT id FROM "Kernel" WHERE version = $1`, [kernels[0]]))[0].id)).toBe("fail");
  });
});
