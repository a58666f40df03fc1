import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { mulberry32 } from "@/lib/synthetic/generate";
import type { IngestResult } from "@/lib/schemas/ingest";
import { recordResults } from "@/lib/services/record-results";
import { recomputeIncidents } from "@/lib/services/regressions/recompute-incidents";
import { getMatrix } from "@/lib/services/get-matrix";
import { getMatrixCompact } from "@/lib/services/get-matrix-compact";
import { checkStoredRules } from "@/lib/services/reindex";
import { ingestBody, uniqueAbi, uniqueTag } from "./helpers";

/**
 * Issue 14's ingest paths against their references, on random data spread over several arches and
 * kernel lines (mainline, Debian amd64, Debian cloud), sent in random batches that re-run cells,
 * arrive out of time order and mix stages: cells folded in SQL equal foldCell (reindex --check),
 * incidents updated per touched grid equal a full recomputation, and the compact matrix answer
 * equals the full one.
 */
const tag = uniqueTag();
const abi = uniqueAbi();
const slugs = [`scale-a-${tag}`, `scale-b-${tag}`];
const kernels = [
  ...["6.1", "6.1.5", "6.1.9", "6.6", "6.6.3", "6.12", "6.12.4"],
  ...[0, 1, 2, 3].map((i) => `6.1.0-${abi + i}-amd64`),
  ...[0, 1, 2].map((i) => `6.12.${40 + i}+deb13-cloud-amd64`),
];
const versions = ["1.0", "1.1", "1.2", "2.0", "2.1"];
const arches = ["x86_64", "aarch64"];
const stages = ["build", "load"] as const;

function randomResults(seed: number, n: number): IngestResult[] {
  const rnd = mulberry32(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  return Array.from({ length: n }, () => {
    const slug = pick(slugs);
    const vi = Math.floor(rnd() * versions.length);
    const ki = Math.floor(rnd() * kernels.length);
    // mostly a break at a kernel index fixed in a later version, with noise
    const broken = ki >= 4 && vi < 3;
    const r = rnd();
    const status = r < 0.08 ? "error" : r < 0.12 ? "skip" : r < 0.2 ? (broken ? "pass" : "fail") : broken ? "fail" : "pass";
    const day = 1 + Math.floor(rnd() * 27);
    return {
      module: slug,
      moduleVersion: versions[vi],
      kernel: kernels[ki],
      arch: pick(arches),
      stage: pick(stages),
      status,
      ...(status === "fail" ? { errorLine: pick(["implicit declaration of function 'strlcpy'", "'struct block_device' has no member named 'bd_inode'"]) } : {}),
      finishedAt: `2025-0${1 + Math.floor(rnd() * 8)}-${String(day).padStart(2, "0")}T0${Math.floor(rnd() * 9)}:00:00Z`,
    } satisfies IngestResult;
  });
}

async function incidentSnapshot() {
  const rows = await db().incident.findMany({
    where: { module: { slug: { in: slugs } } },
    include: { versions: { select: { moduleVersionId: true }, orderBy: { moduleVersionId: "asc" } } },
    orderBy: [{ moduleId: "asc" }, { key: "asc" }],
  });
  return rows.map(({ id, createdAt, updatedAt, ...rest }) => (void [id, createdAt, updatedAt], rest));
}

describe("ingest at scale: SQL fold, per-grid incidents, compact matrix", () => {
  it("agree with foldCell, a full incident recomputation and the full matrix", async () => {
    for (let b = 0; b < 12; b++) {
      await recordResults(ingestBody(`scale-${tag}`, `run-${b}`, randomResults(1000 + b, 10 + Math.floor(mulberry32(b)() * 60))));
    }
    const incremental = await incidentSnapshot();
    expect(incremental.length).toBeGreaterThan(0);
    expect(new Set(incremental.map((i) => i.arch)).size).toBe(2);
    expect(new Set(incremental.map((i) => i.line)).size).toBeGreaterThan(1);
    await recomputeIncidents();
    expect(await incidentSnapshot()).toEqual(incremental);

    // Cells and states rows as the reference fold (foldCellRows) and expectedStatesSql say.
    const moduleIds = (await db().module.findMany({ where: { slug: { in: slugs } }, select: { id: true } })).map((m) => m.id);
    const report = await checkStoredRules({ moduleIds });
    expect(report.differences).toEqual([]);

    for (const slug of slugs) {
      for (const query of [{}, { arch: "aarch64" }, { distro: "debian" }, { from: "6.6" }, { flavours: "generic" as const }]) {
        const full = await getMatrix(slug, query);
        const expand = full.series.map((s) => s.series);
        const compact = await getMatrixCompact(slug, { ...query, expand });
        expect(compact.versions.map((v) => v.id)).toEqual(full.versions.map((v) => v.id));
        expect(compact.options).toEqual(full.options);
        expect(compact.series.map((s) => s.series)).toEqual(full.series.map((s) => s.series));
        for (const [si, s] of full.series.entries()) {
          const c = compact.series[si];
          expect(c.kernels!.id).toEqual(s.kernels.map((k) => k.id));
          expect(c.kernels!.version).toEqual(s.kernels.map((k) => k.version));
          expect(c.kernels!.upcoming).toEqual(s.kernels.map((k) => k.upcoming));
          full.versions.forEach((v, vi) => {
            const sum = s.summary[v.id];
            expect(c.headlines[vi]).toBe({ pass: "p", fail: "f", error: "e", skip: "s", mixed: "m", none: "n" }[sum.headline]);
            expect(c.counts.slice(vi * 4, vi * 4 + 4)).toEqual([sum.counts.pass, sum.counts.fail, sum.counts.error, sum.counts.skip]);
            const letters = s.kernels.map((k) => full.cells.find((x) => x.versionId === v.id && x.kernelId === k.id)?.status[0] ?? ".").join("");
            expect(c.cells![vi]).toBe(letters);
            for (const [ki, k] of s.kernels.entries()) {
              const cell = full.cells.find((x) => x.versionId === v.id && x.kernelId === k.id);
              const e = c.errors!.find(([a, b]) => a === vi && b === ki);
              expect(e ? compact.errorLines[e[2]] : null, `${v.version} ${k.version}`).toBe(cell && cell.status !== "pass" ? cell.errorLine : null);
            }
          });
        }
        // Collapsed, nothing but summaries is sent.
        const collapsed = await getMatrixCompact(slug, query);
        expect(collapsed.series.every((s) => s.cells === undefined && s.kernels === undefined)).toBe(true);
        expect(collapsed.limits.sentCells).toBe(0);
        expect(collapsed.limits.totalCells).toBe(full.limits.totalCells);
      }
    }
  }, 120_000);
});

/**
 * Issue 14, incremental detection: the ingest carries each cell's detection summary forward by one
 * run and detects again only the grids where a summary changed. A CI's history: the whole matrix
 * re-run in time order, mostly confirming what each cell said, sometimes flipping (a break, a fix,
 * a flaky cell), now and then a late run from the past. After every batch, the stored incidents
 * equal a rebuild from the results, and the cells' summaries equal observeCell (reindex --check).
 */
describe("incremental detection on CI-shaped histories", () => {
  const ciSlugs = [`ci-a-${tag}`, `ci-b-${tag}`];
  const ciKernels = [...["6.1", "6.1.5", "6.6", "6.6.3", "6.12", "6.12.4", "6.13"], ...[0, 1, 2].map((i) => `6.1.0-${abi + 10 + i}-amd64`)];
  const ciVersions = ["1.0", "1.1", "2.0", "2.1"];

  async function snapshot(moduleSlugs: string[]) {
    const rows = await db().incident.findMany({
      where: { module: { slug: { in: moduleSlugs } } },
      include: { versions: { select: { moduleVersionId: true }, orderBy: { moduleVersionId: "asc" } } },
      orderBy: [{ moduleId: "asc" }, { key: "asc" }],
    });
    return rows.map(({ createdAt, updatedAt, ...rest }) => (void [createdAt, updatedAt], rest));
  }

  it("equal a rebuild after every batch, over 3 random seeds", async () => {
    for (const seed of [11, 12, 13]) {
      const rnd = mulberry32(seed);
      const slug = `${ciSlugs[seed % 2]}-${seed}`;
      // the verdict each version × kernel × arch has "today"; batches flip a few of them
      const truth = new Map<string, "pass" | "fail">();
      const breakAt = 1 + Math.floor(rnd() * (ciKernels.length - 2));
      for (const [vi] of ciVersions.entries()) for (const [ki] of ciKernels.entries()) for (const arch of arches) truth.set(`${vi}|${ki}|${arch}`, ki >= breakAt && vi < 2 ? "fail" : "pass");
      for (let b = 0; b < 8; b++) {
        for (const key of truth.keys()) if (rnd() < 0.04) truth.set(key, truth.get(key) === "pass" ? "fail" : "pass");
        const late = b > 2 && rnd() < 0.3; // a run that finished before the last ones
        const day = late ? 1 + Math.floor(rnd() * 5) : 10 + b * 2;
        const results: IngestResult[] = [];
        for (const [key, verdict] of truth) {
          if (rnd() < 0.25) continue; // not every cell every time; new kernels appear as the history grows
          const [vi, ki, arch] = key.split("|");
          if (Number(ki) > 3 + b) continue;
          const x = rnd();
          const status = x < 0.05 ? "error" : x < 0.07 ? "skip" : verdict;
          results.push({
            module: slug,
            moduleVersion: ciVersions[Number(vi)],
            kernel: ciKernels[Number(ki)],
            arch,
            stage: rnd() < 0.2 ? "load" : "build",
            status,
            ...(status === "fail" ? { errorLine: "implicit declaration of function 'strlcpy'" } : {}),
            finishedAt: `2025-03-${String(day).padStart(2, "0")}T0${Math.floor(rnd() * 9)}:00:00Z`,
          });
        }
        if (seed === 12 && b === 4) {
          // Rows as migration 0011 leaves them: the summaries are computed from the results when read.
          await db().$executeRaw`UPDATE "Cell" SET observed = false, "obsState" = NULL, "firstFailId" = NULL, "firstPassId" = NULL
            WHERE "moduleId" = (SELECT id FROM "Module" WHERE slug = ${slug})`;
        }
        await recordResults(ingestBody(`ci-${tag}`, `run-${seed}-${b}`, results));
        const incremental = await snapshot([slug]);
        await recomputeIncidents();
        expect(await snapshot([slug]), `seed ${seed}, batch ${b}`).toEqual(incremental);
      }
      const moduleId = (await db().module.findUniqueOrThrow({ where: { slug } })).id;
      expect((await checkStoredRules({ moduleIds: [moduleId] })).differences).toEqual([]);
      expect((await snapshot([slug])).length).toBeGreaterThan(0);
    }
  }, 300_000);
});
