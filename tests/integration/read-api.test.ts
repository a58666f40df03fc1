import { beforeAll, describe, expect, it } from "vitest";
import { GET as getKernelRoute } from "@/app/api/v1/kernels/[version]/route";
import { GET as listModulesRoute } from "@/app/api/v1/modules/route";
import { GET as getModuleRoute } from "@/app/api/v1/modules/[slug]/route";
import { GET as getMatrixRoute } from "@/app/api/v1/modules/[slug]/matrix/route";
import { GET as getCellRoute } from "@/app/api/v1/modules/[slug]/versions/[version]/kernels/[kernel]/route";
import { compareKernels } from "@/lib/domain/kernel-version";
import type { CellDetail } from "@/lib/services/get-cell";
import type { KernelView } from "@/lib/services/get-kernel";
import type { MatrixView } from "@/lib/services/get-matrix";
import type { ModuleSummary } from "@/lib/services/list-modules";
import { recordResults } from "@/lib/services/record-results";
import { expectError, GCC_STRLCPY_LOG, get, result, uniqueAbi, uniqueTag } from "./helpers";

const tag = uniqueTag();
const slug = `ra-${tag}`;
const source = `read-api-${tag}`;
const abi = uniqueAbi();
const D61 = `6.1.0-${abi}-amd64`;
const D66 = `6.6.0-${abi}-amd64`;
const U68 = `6.8.0-${abi}-generic`;
const D612 = `6.12.0-${abi}-amd64`;
const UNKNOWN_KERNEL = `6.12.0-${abi + 1}-amd64`;

/** JSON as the client sees it: dates are strings. */
type Json<T> = T extends Date ? string : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

async function ok<T>(res: Response): Promise<Json<T>> {
  const json = (await res.json()) as Json<T>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

beforeAll(async () => {
  const at = (min: number) => new Date(Date.UTC(2025, 3, 1, 8, min)).toISOString();
  const r = (v: string, kernel: string, arch: string, status: "pass" | "fail" | "error" | "skip", min: number, extra = {}) =>
    result({ module: slug, moduleVersion: v, kernel, arch, status, finishedAt: at(min), ...extra });
  await recordResults({
    run: { source, id: "r1", url: "https://ci.example.org/runs/r1" },
    modules: [
      {
        slug,
        name: `Read API module ${tag}`,
        description: `fixture-desc-${tag}`,
        versions: [{ version: "0.9.0", declaredKernelMin: "2.6.32", declaredKernelMax: "5.19" }],
      },
    ],
    results: [
      r("0.12.7", D61, "x86_64", "pass", 0),
      r("0.12.7", D61, "aarch64", "pass", 0),
      r("0.12.7", D66, "x86_64", "skip", 0, { errorLine: "BUILD_EXCLUSIVE_KERNEL_MAX" }),
      r("0.12.7", D66, "aarch64", "fail", 0),
      r("0.12.7", U68, "x86_64", "pass", 0),
      r("0.12.7", D612, "x86_64", "fail", 1, { log: GCC_STRLCPY_LOG, logUrl: "https://ci.example.org/logs/strlcpy.txt" }),
      r("0.13.2", D61, "x86_64", "pass", 0),
      r("0.13.2", D612, "x86_64", "pass", 0),
      r("0.13.2", D612, "aarch64", "fail", 0, { errorLine: "arm64: unknown register name" }),
      r("0.13.2", U68, "x86_64", "error", 0, { errorLine: "timed out after 600 s" }),
    ],
  });
  // A second run adds history to one cell: an older pass, then (newest) an error that must not hide the fail.
  await recordResults({
    run: { source, id: "r2" },
    results: [r("0.12.7", D612, "x86_64", "pass", -30), r("0.12.7", D612, "x86_64", "error", 30, { errorLine: "kernel headers not installed" })],
  });
});

describe("GET /api/v1/modules", () => {
  it("lists the module with its summary", async () => {
    const { modules } = await ok<{ modules: ModuleSummary[] }>(await get(listModulesRoute, "/api/v1/modules"));
    const mine = modules.find((m) => m.slug === slug);
    expect(mine).toEqual({
      slug,
      name: `Read API module ${tag}`,
      description: `fixture-desc-${tag}`,
      versionCount: 3,
      newestVersion: "0.13.2",
      newestPassingKernel: D612,
      cellCount: 10,
      failingCells: 3,
      // issue 12: the newest version on the newest kernel of each series, arches folded as in the matrix
      newest: {
        state: "mixed",
        version: "0.13.2",
        series: [
          { series: "6.1", kernel: D61, status: "pass" },
          { series: "6.8", kernel: U68, status: "error" },
          { series: "6.12", kernel: D612, status: "fail" },
        ],
      },
      // 0.13.2 passes on the newest series it was built on (one arch passing is enough for a series).
      support: {
        state: "current",
        version: "0.13.2",
        lastKernel: D612,
        lastKernelUpstream: null,
        lastSeries: "6.12",
        failingSeries: [],
        builtSeries: { oldest: "6.1", newest: "6.12" },
        sentence: `0.13.2 builds on ${D612}, the newest series it was built on`,
      },
    });
    const slugs = modules.map((m) => m.slug);
    expect(slugs).toEqual([...slugs].sort());
  });

  it("filters with ?q= on slug, name and description, case-insensitively", async () => {
    for (const q of [slug.toUpperCase(), `module ${tag}`, `FIXTURE-desc-${tag}`]) {
      const { modules } = await ok<{ modules: ModuleSummary[] }>(await get(listModulesRoute, `/api/v1/modules?q=${encodeURIComponent(q)}`));
      expect(modules.map((m) => m.slug), q).toEqual([slug]);
    }
    const none = await ok<{ modules: ModuleSummary[] }>(await get(listModulesRoute, `/api/v1/modules?q=nothing-${tag}`));
    expect(none.modules).toEqual([]);
  });

  it("422 for a query that is too long", async () => {
    const e = await expectError(await get(listModulesRoute, `/api/v1/modules?q=${"x".repeat(101)}`), 422, "validation_failed");
    expect(e.issues!.map((i) => i.path)).toEqual(["q"]);
  });
});

describe("GET /api/v1/modules/{slug}", () => {
  it("returns the versions newest first with their cell counts", async () => {
    const { module } = await ok<{ module: { slug: string; versions: { version: string; declaredKernelMax: string | null; cells: Record<string, number> }[] } }>(
      await get(getModuleRoute, `/api/v1/modules/${slug}`, { slug }),
    );
    expect(module.slug).toBe(slug);
    expect(module.versions.map((v) => v.version)).toEqual(["0.13.2", "0.12.7", "0.9.0"]);
    expect(module.versions.map((v) => v.cells)).toEqual([
      { pass: 2, fail: 1, error: 1, skip: 0 },
      { pass: 3, fail: 2, error: 0, skip: 1 },
      { pass: 0, fail: 0, error: 0, skip: 0 },
    ]);
    expect(module.versions[2].declaredKernelMax).toBe("5.19");
  });

  it("404 for an unknown module, naming it", async () => {
    const e = await expectError(await get(getModuleRoute, `/api/v1/modules/nope-${tag}`, { slug: `nope-${tag}` }), 404, "not_found");
    expect(e.message).toContain(`nope-${tag}`);
  });
});

describe("GET /api/v1/modules/{slug}/matrix", () => {
  const matrix = async (query = "") => ok<MatrixView>(await get(getMatrixRoute, `/api/v1/modules/${slug}/matrix${query}`, { slug }));
  const cellAt = (m: Json<MatrixView>, version: string, kernel: string) => {
    const v = m.versions.find((x) => x.version === version)!;
    const k = m.series.flatMap((s) => s.kernels).find((x) => x.version === kernel)!;
    return m.cells.find((c) => c.versionId === v.id && c.kernelId === k.id);
  };

  it("shows every version, kernels by series in kernel order, and cells folded over arches", async () => {
    const m = await matrix();
    expect(m.module.slug).toBe(slug);
    expect(m.versions.map((v) => v.version)).toEqual(["0.13.2", "0.12.7", "0.9.0"]);
    expect(m.series.map((s) => s.series)).toEqual(["6.1", "6.6", "6.8", "6.12"]);
    expect(m.series.map((s) => s.kernels.map((k) => k.version))).toEqual([[D61], [D66], [U68], [D612]]);
    expect(m.options).toEqual({
      arches: ["aarch64", "x86_64"],
      distros: ["debian", "ubuntu"],
      flavours: ["amd64", "generic"],
      series: ["6.1", "6.6", "6.8", "6.12"],
    });
    expect(m.cells).toHaveLength(7);

    expect(cellAt(m, "0.12.7", D61)).toMatchObject({ status: "pass", arches: [{ arch: "aarch64", status: "pass" }, { arch: "x86_64", status: "pass" }] });
    // The newest result of this cell is an error; the fail it does not erase decides.
    expect(cellAt(m, "0.12.7", D612)).toMatchObject({ status: "fail", errorLine: "implicit declaration of function 'strlcpy'" });
    expect(cellAt(m, "0.13.2", D612)).toMatchObject({
      status: "fail",
      arches: [{ arch: "aarch64", status: "fail" }, { arch: "x86_64", status: "pass" }],
      errorLine: "arm64: unknown register name",
    });
    expect(cellAt(m, "0.13.2", U68)).toMatchObject({ status: "error", errorLine: "timed out after 600 s" });
    expect(cellAt(m, "0.9.0", D61)).toBeUndefined();

    const s612 = m.series.find((s) => s.series === "6.12")!;
    const v0127 = m.versions.find((v) => v.version === "0.12.7")!;
    const v090 = m.versions.find((v) => v.version === "0.9.0")!;
    expect(s612.summary[v0127.id]).toMatchObject({ headline: "fail", total: 1 });
    expect(s612.summary[v090.id]).toMatchObject({ headline: "none", total: 0 });
    expect(s612.expanded).toBe(false);
  });

  it("filters by arch", async () => {
    const m = await matrix("?arch=aarch64");
    expect(m.series.flatMap((s) => s.kernels.map((k) => k.version))).toEqual([D61, D66, D612]);
    expect(m.cells.flatMap((c) => c.arches.map((a) => a.arch))).toEqual(["aarch64", "aarch64", "aarch64"]);
    expect(cellAt(m, "0.13.2", D612)).toMatchObject({ status: "fail" });
    // The options still offer what the filter hides.
    expect(m.options.arches).toEqual(["aarch64", "x86_64"]);
  });

  it("filters by distro", async () => {
    const m = await matrix("?distro=ubuntu");
    expect(m.series.flatMap((s) => s.kernels.map((k) => k.version))).toEqual([U68]);
    expect(m.cells.map((c) => c.status).sort()).toEqual(["error", "pass"]);
  });

  it("filters by kernel flavour", async () => {
    const m = await matrix("?flavour=generic");
    expect(m.series.flatMap((s) => s.kernels.map((k) => k.version))).toEqual([U68]);
    expect((await matrix("?flavour=amd64")).series.flatMap((s) => s.kernels.map((k) => k.version))).toEqual([D61, D66, D612]);
  });

  it("filters by a series range, both ends included", async () => {
    const m = await matrix("?from=6.6&to=6.8");
    expect(m.series.map((s) => s.series)).toEqual(["6.6", "6.8"]);
    expect((await matrix("?from=6.8")).series.map((s) => s.series)).toEqual(["6.8", "6.12"]);
    expect((await matrix("?to=6.1")).series.map((s) => s.series)).toEqual(["6.1"]);
    // Series compare as numbers: 6.12 comes after 6.8 although "6.12" < "6.8" as text.
    expect((await matrix("?from=6.10&to=6.12")).series.map((s) => s.series)).toEqual(["6.12"]);
  });

  it("combines filters and marks expanded series", async () => {
    const m = await matrix("?arch=x86_64&distro=debian&from=6.1&to=6.12&expand=6.1,6.12");
    expect(m.series.map((s) => [s.series, s.expanded])).toEqual([["6.1", true], ["6.6", false], ["6.12", true]]);
    expect(m.cells.every((c) => c.arches.every((a) => a.arch === "x86_64"))).toBe(true);
  });

  it.each<[string, string]>([
    ["?from=6.12&to=6.1", "from"],
    ["?from=six", "from"],
    // issue 10: "123.1" passed the old series regex and threw a KernelVersionError inside the
    // refine that compares from and to, which the route answered with a 500
    ["?from=123.1&to=124.1", "from"],
    ["?from=6.12.5", "from"],
    ["?to=6.1.x", "to"],
    ["?arch=X86_64", "arch"],
    ["?distro=Debian", "distro"],
    ["?flavour=rt amd64", "flavour"],
    ["?expand=6.1,latest", "expand[1]"],
  ])("422 for %s", async (query, path) => {
    const e = await expectError(await get(getMatrixRoute, `/api/v1/modules/${slug}/matrix${query}`, { slug }), 422, "validation_failed");
    expect(e.issues!.map((i) => i.path)).toContain(path);
  });

  it("explains a reversed range", async () => {
    const e = await expectError(await get(getMatrixRoute, `/api/v1/modules/${slug}/matrix?from=6.12&to=6.1`, { slug }), 422, "validation_failed");
    expect(e.issues).toEqual([{ path: "from", message: expect.stringMatching(/must not be after/) }]);
  });

  it("404 for an unknown module", async () => {
    await expectError(await get(getMatrixRoute, `/api/v1/modules/nope-${tag}/matrix`, { slug: `nope-${tag}` }), 404, "not_found");
  });
});

describe("GET /api/v1/kernels/{version}", () => {
  const kernel = async (version: string) => get(getKernelRoute, `/api/v1/kernels/${encodeURIComponent(version)}`, { version });

  it("lists the module versions tested on a kernel, folded over arches", async () => {
    const k = await ok<KernelView>(await kernel(D612));
    expect(k.kernel).toMatchObject({ version: D612, parsed: { series: "6.12", distro: "debian", distroRelease: String(abi), flavour: "amd64" } });
    expect(k.modules).toEqual([
      {
        slug,
        name: `Read API module ${tag}`,
        versions: [
          { version: "0.13.2", status: "fail", arches: expect.arrayContaining([{ arch: "aarch64", status: "fail" }, { arch: "x86_64", status: "pass" }]), errorLine: "arm64: unknown register name" },
          { version: "0.12.7", status: "fail", arches: [{ arch: "x86_64", status: "fail" }], errorLine: "implicit declaration of function 'strlcpy'" },
        ],
      },
    ]);
    expect(k.counts).toEqual({ pass: 0, fail: 2, error: 0, skip: 0 });
  });

  it("shows the error line of the arch that decided the status, not of another one", async () => {
    const k = await ok<KernelView>(await kernel(D66));
    // x86_64 skipped with a reason, aarch64 failed without one: the version fails, and the skip's
    // reason must not be shown as the cause of the failure.
    expect(k.modules[0].versions).toEqual([
      { version: "0.12.7", status: "fail", arches: expect.arrayContaining([{ arch: "x86_64", status: "skip" }, { arch: "aarch64", status: "fail" }]), errorLine: null },
    ]);
  });

  it("links its neighbours in kernel order", async () => {
    const k = await ok<KernelView>(await kernel(U68));
    expect(k.counts).toEqual({ pass: 1, fail: 0, error: 1, skip: 0 });
    expect(k.previous).not.toBeNull();
    expect(k.next).not.toBeNull();
    expect(compareKernels(k.previous!, U68)).toBeLessThan(0);
    expect(compareKernels(k.next!, U68)).toBeGreaterThan(0);
    // Our 6.6 kernel sorts before, our 6.12 kernel after; the neighbours lie within that span.
    expect(compareKernels(k.previous!, D66)).toBeGreaterThanOrEqual(0);
    expect(compareKernels(k.next!, D612)).toBeLessThanOrEqual(0);
  });

  it("404 for a well-formed kernel nobody reported", async () => {
    const e = await expectError(await kernel(UNKNOWN_KERNEL), 404, "not_found");
    expect(e.message).toContain(UNKNOWN_KERNEL);
  });

  it("422 for a string that is not a kernel version, quoting it", async () => {
    const e = await expectError(await kernel("linux six"), 422, "validation_failed");
    expect(e.message).toContain('"linux six"');
    expect(e.issues).toEqual([{ path: "version", message: expect.stringContaining('"linux six"') }]);
  });
});

describe("GET /api/v1/modules/{slug}/versions/{version}/kernels/{kernel}", () => {
  const cell = async (version: string, k: string, s = slug) =>
    get(getCellRoute, `/api/v1/modules/${s}/versions/${version}/kernels/${encodeURIComponent(k)}`, { slug: s, version, kernel: k });

  it("returns the per-arch state and every raw result behind it, newest first", async () => {
    const c = await ok<CellDetail>(await cell("0.12.7", D612));
    expect(c).toMatchObject({ module: slug, version: "0.12.7", kernel: D612 });
    expect(c.arches).toEqual([
      {
        arch: "x86_64",
        status: "fail",
        stages: { build: "fail" },
        counts: { pass: 1, fail: 1, error: 1, skip: 0 },
        lastResultAt: "2025-04-01T08:30:00.000Z",
        errorLine: "implicit declaration of function 'strlcpy'",
        logUrl: "https://ci.example.org/logs/strlcpy.txt",
      },
    ]);
    expect(c.results.map((r) => [r.status, r.finishedAt, r.run.externalId])).toEqual([
      ["error", "2025-04-01T08:30:00.000Z", "r2"],
      ["fail", "2025-04-01T08:01:00.000Z", "r1"],
      ["pass", "2025-04-01T07:30:00.000Z", "r2"],
    ]);
    const failed = c.results[1];
    expect(failed).toMatchObject({
      arch: "x86_64",
      stage: "build",
      errorLine: "implicit declaration of function 'strlcpy'",
      logExcerpt: GCC_STRLCPY_LOG,
      logTruncated: false,
      run: { source, externalId: "r1", url: "https://ci.example.org/runs/r1" },
    });
  });

  it("lists arches in order", async () => {
    const c = await ok<CellDetail>(await cell("0.13.2", D612));
    expect(c.arches.map((a) => [a.arch, a.status])).toEqual([["aarch64", "fail"], ["x86_64", "pass"]]);
    expect(c.results).toHaveLength(2);
  });

  it.each<[string, string, string, string]>([
    ["an unknown module", `nope-${tag}`, "0.12.7", D612],
    ["an unknown version", slug, "9.9.9", D612],
    ["an unknown kernel", slug, "0.12.7", UNKNOWN_KERNEL],
    ["a version never tested on that kernel", slug, "0.9.0", D612],
  ])("404 for %s", async (_name, s, version, k) => {
    await expectError(await cell(version, k, s), 404, "not_found");
  });
});
