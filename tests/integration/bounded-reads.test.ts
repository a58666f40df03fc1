import { describe, expect, it } from "vitest";
import { GET as getMatrixRoute } from "@/app/api/v1/modules/[slug]/matrix/route";
import { getMatrix, MATRIX_API_MAX_CELLS } from "@/lib/services/get-matrix";
import { recordResults } from "@/lib/services/record-results";
import { GET as listModulesRoute } from "@/app/api/v1/modules/route";
import { listModules, MODULE_LIST_MAX } from "@/lib/services/list-modules";
import { DATA_SOURCES_SHOWN, listDataSources } from "@/lib/services/data-sources";
import { get, ingestBody, result, uniqueAbi, uniqueTag } from "./helpers";

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
