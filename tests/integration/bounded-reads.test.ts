import { describe, expect, it } from "vitest";
import { GET as getMatrixRoute } from "@/app/api/v1/modules/[slug]/matrix/route";
import { getMatrix, MATRIX_API_MAX_CELLS } from "@/lib/services/get-matrix";
import { recordResults } from "@/lib/services/record-results";
import { GET as listModulesRoute } from "@/app/api/v1/modules/route";
import { countModules, listModules, MODULE_LIST_MAX, MODULE_PAGE_SIZE } from "@/lib/services/list-modules";
import { DATA_SOURCES_SHOWN, listDataSources } from "@/lib/services/data-sources";
import { GET as listKernelsRoute } from "@/app/api/v1/kernels/route";
import { GET as knownRoute } from "@/app/api/v1/results/known/route";
import { MAX_KERNELS_PER_PAGE, MAX_KNOWN_PER_PAGE } from "@/lib/schemas/query";
import { expectError, get, ingestBody, result, uniqueAbi, uniqueTag } from "./helpers";

describe("the matrix API has a hard cap on cells and says when it cut", () => {
  it("lists every cell under the cap, and the newest versions' cells past it", async () => {
    const tag = uniqueTag();
    const slug = `bounded-${tag}`;
    const abi = uniqueAbi();
    const rs = ["1.0", "2.0", "3.0"].flatMap((v) => [0, 1, 2].map((i) => result({ module: slug, moduleVersion: v, kernel: `6.1.0-${abi + i}-amd64` })));
    await recordResults(ingestBody(`bounded-${tag}`, "r1", rs));

    const res = await get(getMatrixRoute, `/api/v1/modules/${slug}/matrix`, { slug });
    const full = (await res.json()) as { cells: unknown[]; limits: { maxCells: number; totalCells: number; truncated: boolean } };
    expect(full.limits).toEqual({ maxCells: MATRIX_API_MAX_CELLS, totalCells: 9, truncated: false });
    expect(full.cells).toHaveLength(9);

    const cut = await getMatrix(slug, {}, { maxCells: 4 });
    expect(cut.limits).toMatchObject({ maxCells: 4, totalCells: 9, truncated: true });
    expect(cut.limits.narrow).toMatch(/from\/to/);
    const newest = cut.versions[0].id;
    expect(cut.cells.slice(0, 3).every((c) => c.versionId === newest)).toBe(true);
    expect(cut.cells).toHaveLength(4);
  });
});

describe("the module list has a hard cap", () => {
  it("listModules takes at most `limit` rows; the API lists at most MODULE_LIST_MAX and says when it cut", async () => {
    const tag = uniqueTag();
    const abi = uniqueAbi();
    await recordResults(ingestBody(`list-${tag}`, "r1", ["a", "b", "c", "d"].map((x) => result({ module: `list-${x}-${tag}`, kernel: `6.1.0-${abi}-amd64` }))));
    expect(await listModules({ q: `-${tag}`, limit: 3 })).toHaveLength(3);
    // the home page's pages: MODULE_PAGE_SIZE rows from an offset, and the count of all of them
    expect((await listModules({ q: `-${tag}`, limit: 2, offset: 2 })).map((m) => m.slug)).toEqual([`list-c-${tag}`, `list-d-${tag}`]);
    expect(await countModules(`-${tag}`)).toBe(4);
    expect(MODULE_PAGE_SIZE).toBeLessThanOrEqual(MODULE_LIST_MAX);
    const all = await listModules({ q: `-${tag}` });
    expect(all.map((m) => m.newestPassingKernel)).toEqual(all.map(() => `6.1.0-${abi}-amd64`));
    const res = (await (await get(listModulesRoute, `/api/v1/modules?q=-${tag}`)).json()) as { modules: unknown[]; truncated?: boolean };
    expect(res.modules).toHaveLength(4);
    expect(res.truncated).toBeUndefined();
    expect(MODULE_LIST_MAX).toBe(500);
  });
});

describe("the data-source note is bounded", () => {
  it("lists the largest sources with their newest run's meta, and counts the rest", async () => {
    const tag = uniqueTag();
    const abi = uniqueAbi();
    for (let i = 0; i < DATA_SOURCES_SHOWN + 2; i++) {
      const rs = Array.from({ length: 1 + (i === 0 ? 500 : 0) }, (_, k) => result({ module: `ds-${tag}`, kernel: `6.1.0-${abi + k}-amd64`, moduleVersion: `1.${i}` }));
      await recordResults(ingestBody(`ds${i}-${tag}`, "r1", rs, { meta: { n: 1 } }));
      if (i === 0) await recordResults(ingestBody(`ds0-${tag}`, "r2", [result({ module: `ds-${tag}`, kernel: `6.1.0-${abi}-amd64`, moduleVersion: "2.0" })], { meta: { n: 2 } }));
    }
    const { sources, total } = await listDataSources();
    expect(sources.length).toBeLessThanOrEqual(DATA_SOURCES_SHOWN);
    expect(total).toBeGreaterThanOrEqual(DATA_SOURCES_SHOWN + 2);
    const counts = sources.map((x) => x.results);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    // Other test files' sources share this database: ours is shown only if it is among the largest.
    const big = sources.find((x) => x.source === `ds0-${tag}`);
    if (big) expect({ meta: big.meta, runs: big.runs }).toEqual({ meta: { n: 2 }, runs: 2 });
  });
});

describe("the kernel list is paged", () => {
  it("newest first, limit/offset/series, a total, and a 422 past the page cap", async () => {
    const abi = uniqueAbi();
    const series = "4.19"; // a series no other test file uses
    const kernels = [0, 1, 2, 3, 4].map((i) => `4.19.0-${abi + i}-amd64`);
    await recordResults(ingestBody(`kernel-pages-${uniqueTag()}`, "r1", kernels.map((kernel) => result({ module: `kernel-pages-${abi}`, kernel }))));
    const page = async (q: string) => (await (await get(listKernelsRoute, `/api/v1/kernels?${q}`)).json()) as { kernels: { version: string }[]; total: number; limit: number; offset: number };
    const first = await page(`series=${series}&limit=2`);
    expect(first.total).toBeGreaterThanOrEqual(5);
    expect(first.limit).toBe(2);
    const mine = (await page(`series=${series}&limit=2000`)).kernels.map((k) => k.version).filter((v) => kernels.includes(v));
    expect(mine).toEqual([...kernels].reverse());
    const second = await page(`series=${series}&limit=2&offset=2`);
    expect(second.kernels.map((k) => k.version)).not.toContain(first.kernels[0].version);
    expect((await get(listKernelsRoute, `/api/v1/kernels?limit=${MAX_KERNELS_PER_PAGE + 1}`)).status).toBe(422);
    expect((await get(listKernelsRoute, "/api/v1/kernels?series=banana")).status).toBe(422);
  });
});

describe("/results/known is paged by result id, and the runner reads every page", () => {
  it("each page reads at most `limit` results; `next` continues; the pages together hold every combination", async () => {
    const tag = uniqueTag();
    const source = `known-pages-${tag}`;
    const abi = uniqueAbi();
    const rs = ["1.0", "2.0", "3.0"].flatMap((v) => [0, 1].map((i) => result({ module: `known-${tag}`, moduleVersion: v, kernel: `6.1.0-${abi + i}-amd64` })));
    await recordResults(ingestBody(source, "r1", rs));
    await recordResults(ingestBody(source, "r2", rs.slice(0, 2))); // repeats: the same combinations again
    const seen = new Set<string>();
    let after: string | null = null;
    let pages = 0;
    do {
      const res = await get(knownRoute, `/api/v1/results/known?source=${source}&limit=3${after ? `&after=${after}` : ""}`);
      const body = (await res.json()) as { known: { module: string; moduleVersion: string; kernel: string; arch: string }[]; next: string | null };
      expect(body.known.length).toBeLessThanOrEqual(3);
      for (const c of body.known) seen.add(`${c.moduleVersion} ${c.kernel}`);
      after = body.next;
      pages += 1;
    } while (after !== null && pages < 10);
    expect(pages).toBe(3); // 8 results in pages of 3
    expect(seen.size).toBe(6);
    await expectError(await get(knownRoute, `/api/v1/results/known?source=${source}&after=abc`), 422, "validation_failed");
    await expectError(await get(knownRoute, `/api/v1/results/known?source=${source}&limit=${MAX_KNOWN_PER_PAGE + 1}`), 422, "validation_failed");
  });
});
