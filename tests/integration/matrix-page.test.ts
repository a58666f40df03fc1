import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { matrixGridModel } from "@/app/modules/[slug]/grid-model";
import { type IngestBody } from "@/lib/schemas/ingest";
import { matrixQuerySchema } from "@/lib/schemas/query";
import { getMatrix } from "@/lib/services/get-matrix";
import { getMatrixPage, matrixPage, type MatrixPage } from "@/lib/services/get-matrix-page";
import { loadSnapshotFiles } from "@/lib/services/kernel-api/load-snapshot-files";
import { DEMO_DIR, KERNEL_API_DIR, loadBody, readIngestFile } from "@/lib/services/load-demo";
import { recordResults } from "@/lib/services/record-results";
import { syntheticBodies } from "@/lib/synthetic/generate";
import { LARGE_SERIES } from "@/scripts/seed-large-series";
import { uniqueTag } from "./helpers";

/**
 * The module page reads its matrix from the compact columns (getMatrixPage: VersionCellStates,
 * cells only for the drawn window). Before, it read every Cell (getMatrix). Both must give the same
 * page: the grid's view model (every summary, drawn cell, declared-range mark and prediction), the
 * filters' options, the versions and the declared-only list, on the real demo builds (renamed to
 * this file's own modules) and on a 100-version × 400-kernel synthetic module.
 */
const tag = uniqueTag();
const own = (slug: string) => `${slug}-${tag}`;
const LARGE = `mp-large-${tag}`;

function renamed(body: IngestBody): IngestBody {
  return {
    ...body,
    run: { ...body.run, id: `${body.run.id}-${tag}` },
    modules: body.modules?.map((m) => ({ ...m, slug: own(m.slug) })),
    results: body.results.map((r) => ({ ...r, module: own(r.module) })),
  };
}

/** The page as it was built before: every cell read (getMatrix), looked up from a map. */
async function pageFromFullRead(slug: string, query: ReturnType<typeof matrixQuerySchema.parse>): Promise<MatrixPage> {
  const full = await getMatrix(slug, query, { maxCells: Number.POSITIVE_INFINITY });
  const status = new Map(full.cells.map((c) => [`${c.versionId}:${c.kernelId}`, c.status]));
  return matrixPage(slug, { module: full.module, query: full.query, options: full.options, versions: full.versions, series: full.series, statusAt: (v, k) => status.get(`${v}:${k}`) });
}

function model(slug: string, current: Record<string, string>, page: MatrixPage) {
  const { props, win, expandedKernels } = matrixGridModel({ base: `/modules/${slug}`, view: page.view, current, marks: page.marks, predictions: page.predictions });
  return {
    props,
    win,
    expandedKernels,
    module: page.view.module,
    options: page.view.options,
    series: page.view.series.map((s) => [s.series, s.expanded, s.kernels.length]),
    versions: page.view.versions.map((v) => v.version),
    declaredOnly: page.declaredOnly.map((v) => v.version),
    marks: [...page.marks],
    predictions: [...page.predictions],
  };
}

/** Compares both reads for one page URL's parameters; returns the model for further checks. */
async function same(slug: string, current: Record<string, string>) {
  const query = matrixQuerySchema.parse({ flavours: "generic", ...current });
  const compact = model(slug, current, await getMatrixPage(slug, query));
  const full = model(slug, current, await pageFromFullRead(slug, query));
  expect(compact).toEqual(full);
  return compact;
}

let demoSlugs: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "kapi-page-"));
  for (const k of ["6.1.0-56-amd64", "6.12.107+deb12-amd64", "6.12.111+deb12-amd64", "6.12.113+deb13-amd64"]) copyFileSync(path.join(KERNEL_API_DIR, `${k}.txt.gz`), path.join(dir, `${k}.txt.gz`));
  await loadSnapshotFiles(dir);
  const slugs = new Set<string>();
  for (const f of ["debian12-dkms.json", "debian-wide-dkms.json", "footprints-bookworm-6.1.0-56.json", "iet-1.4.18.json"]) {
    for (const part of readIngestFile(path.join(DEMO_DIR, f))) {
    const body = renamed(part);
    if (slugs.size === 0) {
      // A version known only by its declared range (as OpenZFS META gives): listed apart, never a row.
      const slug = body.results[0].module;
      const declaredOnly = { version: "999.0", declaredKernelMin: "6.1", declaredKernelMax: "6.12" };
      const entry = body.modules?.find((m) => m.slug === slug);
      if (entry) entry.versions = [...(entry.versions ?? []), declaredOnly];
      else body.modules = [...(body.modules ?? []), { slug, versions: [declaredOnly] }];
    }
    for (const r of body.results) slugs.add(r.module);
    await loadBody(body);
    }
  }
  // The demo's footprinted versions were built on every kernel of their matrices (nothing to
  // predict): as in compare.spec.ts, 1.0 built with a footprint on 6.1 only, 2.0 on a 6.12 kernel.
  const pred = `mp-pred-${tag}`;
  const footprint = { symbols: ["kfree"], headers: ["linux/module.h", "linux/string.h"], includes: ["linux/string.h"], references: ["kfree", "strlcpy"], licences: ["GPL"], importedNamespaces: [] };
  await recordResults({
    run: { source: `mp-pred-${tag}`, id: "r1" },
    results: [
      { module: pred, moduleVersion: "1.0", kernel: "6.1.0-56-amd64", arch: "x86_64", stage: "build", status: "pass", footprint },
      { module: pred, moduleVersion: "2.0", kernel: "6.12.111+deb12-amd64", arch: "x86_64", stage: "build", status: "pass" },
    ],
  });
  slugs.add(pred);
  demoSlugs = [...slugs].sort();
  for (const body of syntheticBodies({ seed: 12, modules: 1, versionsPerModule: 100, series: LARGE_SERIES, patchesPerSeries: 20, source: `mp-large-${tag}`, chunk: 20_000 })) {
    await recordResults({ ...body, results: body.results.map((r) => ({ ...r, module: LARGE })) });
  }
}, 600_000);

describe("the module page from the compact columns equals the page from every cell", () => {
  it("on the demo's modules: collapsed and every series expanded, generic flavours and flavours=all, with marks and predictions", async () => {
    let seen = { cells: 0, marks: 0, predicted: 0, declaredOnly: 0, flavoured: 0 };
    for (const slug of demoSlugs) {
      const collapsed = await same(slug, {});
      const all = await same(slug, { flavours: "all" });
      const series = all.series.map(([s]) => String(s));
      const expanded = await same(slug, { expand: series.join(",") });
      const expandedAll = await same(slug, { flavours: "all", expand: series.join(",") });
      await same(slug, { expand: series.at(-1)!, arch: "x86_64" });
      if (series.length > 1) await same(slug, { from: series[1], expand: series.join(",") });
      seen = {
        cells: seen.cells + expanded.props.series.reduce((n, s) => n + s.cells.join("").replace(/\./g, "").length, 0),
        marks: seen.marks + expandedAll.marks.length + collapsed.props.series.filter((s) => s.summaryMarks.some(Boolean)).length,
        predicted: seen.predicted + expandedAll.props.predicted.length,
        declaredOnly: seen.declaredOnly + collapsed.declaredOnly.length,
        flavoured: seen.flavoured + (expandedAll.expandedKernels > expanded.expandedKernels ? 1 : 0),
      };
    }
    // The comparison covered every kind of thing the page draws.
    expect.soft(seen.cells).toBeGreaterThan(500);
    expect.soft(seen.marks).toBeGreaterThan(0);
    expect.soft(seen.predicted).toBeGreaterThan(0);
    expect.soft(seen.declaredOnly).toBeGreaterThanOrEqual(1);
    expect.soft(seen.flavoured).toBeGreaterThan(0);
  }, 600_000);

  it("on 100 versions × 400 kernels: collapsed, one series, every series in windows", async () => {
    const collapsed = await same(LARGE, {});
    expect(collapsed.props.versions).toHaveLength(100);
    expect(collapsed.props.series.map((s) => s.series)).toEqual([...LARGE_SERIES].reverse());
    await same(LARGE, { expand: "6.12" });
    const all = await same(LARGE, { expand: LARGE_SERIES.join(",") });
    expect(all.win.capped).toBe(true);
    await same(LARGE, { expand: LARGE_SERIES.join(","), kstart: String(all.win.kernelEnd) });
    await same(LARGE, { expand: LARGE_SERIES.join(","), vstart: "40", kstart: "350", from: "5.10", to: "6.16" });
  }, 300_000);
});
