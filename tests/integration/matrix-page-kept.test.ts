import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { recordResults } from "@/lib/services/record-results";
import { declaredMismatchIndex } from "@/lib/services/history/declared-mismatches";
import { getMatrixPage } from "@/lib/services/get-matrix-page";
import { getModuleSupport } from "@/lib/services/get-module-support";
import { uniqueAbi, uniqueTag } from "./helpers";

// The module page keeps its declared-range marks and its support panel with the matrix columns,
// for the columns' data stamp (get-matrix-page.ts, moduleDerived): kept while nothing changes,
// read again as soon as the module's versions or cells do.
const tag = uniqueTag();
const slug = `kept-${tag}`;
const abi = uniqueAbi();
const K61 = `6.1.0-${abi}-amd64`;
const K612 = `6.12.0-${abi}-amd64`;
const ids = { v: 0, k61: 0, k612: 0 };
let run = 0;
const record = (results: { kernel: string; arch: string; status: "pass" | "fail"; errorLine?: string }[], declaredKernelMax = "6.6") =>
  recordResults({
    run: { source: `kept-${tag}`, id: `r${++run}` },
    modules: [{ slug, versions: [{ version: "1.0", declaredKernelMin: "5.10", declaredKernelMax }] }],
    results: results.map((r) => ({ module: slug, moduleVersion: "1.0", stage: "build" as const, ...r })),
  });

beforeAll(async () => {
  await record([
    { kernel: K61, arch: "x86_64", status: "pass" },
    { kernel: K612, arch: "x86_64", status: "fail", errorLine: "error: implicit declaration of function 'strlcpy'" },
  ]);
  ids.v = (await db().moduleVersion.findFirstOrThrow({ where: { module: { slug } } })).id;
  ids.k61 = (await db().kernel.findUniqueOrThrow({ where: { version: K61 } })).id;
  ids.k612 = (await db().kernel.findUniqueOrThrow({ where: { version: K612 } })).id;
});

describe("the module page's kept marks and support panel", () => {
  it("are the fresh reads' answers, and are kept while the module's data stays the same", async () => {
    const first = await getMatrixPage(slug);
    expect(first.marks).toEqual(await declaredMismatchIndex(slug));
    expect(first.marks.size).toBe(0); // 6.1 passes inside 5.10–6.6, 6.12 fails outside it
    const support = await first.support();
    expect(support).toEqual(await getModuleSupport(slug));
    expect(support.support.state).not.toBe("untested");

    const again = await getMatrixPage(slug);
    expect(await again.support()).toBe(support); // the same object: not read again
    expect(again.marks).toEqual(first.marks);
  });

  it("follow a new result of the module at once", async () => {
    const before = await (await getMatrixPage(slug)).support();
    await record([{ kernel: K61, arch: "aarch64", status: "fail", errorLine: "error: 'struct page' has no member named 'index'" }]);
    const after = await getMatrixPage(slug);
    // declared supported on 6.1, fails on aarch64: a mark
    expect([...after.marks.keys()]).toEqual([`${ids.v}:${ids.k61}`]);
    expect(after.marks).toEqual(await declaredMismatchIndex(slug));
    const support = await after.support();
    expect(support).not.toBe(before);
    expect(support).toEqual(await getModuleSupport(slug));
  });

  it("follow a version's new declared range", async () => {
    // 1.0 now declares 5.10–6.0: the 6.1 pass on x86_64 contradicts it too (declared unsupported, passes)
    await record([], "6.0");
    const page = await getMatrixPage(slug);
    expect(page.marks).toEqual(await declaredMismatchIndex(slug));
    expect(page.marks.get(`${ids.v}:${ids.k61}`)).toBeDefined();
    expect(await page.support()).toEqual(await getModuleSupport(slug));
  });

  it("filtered views mark only their arch", async () => {
    // under 5.10–6.0: the 6.1 pass on x86_64 disagrees; the 6.1 failure on aarch64 no longer does
    const x86 = await getMatrixPage(slug, { arch: "x86_64" });
    expect([...x86.marks.keys()]).toEqual([`${ids.v}:${ids.k61}`]);
    const arm = await getMatrixPage(slug, { arch: "aarch64" });
    expect(arm.marks.size).toBe(0);
    for (const page of [x86, arm]) {
      const kernelIds = new Set(page.view.series.flatMap((s) => s.kernels.map((k) => k.id)));
      expect(page.marks).toEqual(await declaredMismatchIndex(slug, { arch: page.view.query.arch, kernelIds }));
    }
  });
});
