import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { mulberry32 } from "@/lib/synthetic/generate";
import type { IngestResult } from "@/lib/schemas/ingest";
import { recordResults } from "@/lib/services/record-results";
import { recomputeIncidents } from "@/lib/services/regressions/recompute-incidents";
import { getMatrix } from "@/lib/services/get-matrix";
import { getMatrixCompact } from "@/lib/services/get-matrix-compact";
import { checkStoredRules } from "@/lib/services/reindex";
import { ingestBody, uniqueAbi, uniqueTag } from "./helpers";

/** The stored incidents of some modules, ids included (a kept or updated incident keeps its id). */
async function incidentRows(moduleSlugs: string[]) {
  const rows = await db().incident.findMany({
    where: { module: { slug: { in: moduleSlugs } } },
    include: { versions: { select: { moduleVersionId: true }, orderBy: { moduleVersionId: "asc" } } },
    orderBy: [{ moduleId: "asc" }, { key: "asc" }],
  });
  return rows.map(({ createdAt, updatedAt, ...rest }) => (void [createdAt, updatedAt], rest));
}

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

/** The compact matrix answer (expanded and collapsed) equals the full one, for every module and some filters. */
async function expectCompactEqualsFull() {
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

    await expectCompactEqualsFull();
  }, 120_000);

  it("the compact matrix reads kernels whose ids are past its dense slot table", async () => {
    // readMatrixColumns keeps a slot per kernel id in a dense array below 2^20 and a Map above.
    const [{ seq }] = await db().$queryRaw<{ seq: string }[]>`SELECT pg_get_serial_sequence('"Kernel"', 'id') AS seq`;
    await db().$executeRawUnsafe(`SELECT setval('${seq}', ${(1 << 20) + 7})`);
    try {
      const late = [`6.1.0-${abi + 7}-amd64`, `6.1.0-${abi + 8}-amd64`];
      const results = randomResults(77, 80).map((r, i) => ({ ...r, kernel: late[i % 2] }));
      await recordResults(ingestBody(`scale-${tag}`, "run-late-ids", results));
      const ids = await db().kernel.findMany({ where: { version: { in: late } }, select: { id: true } });
      expect(ids.every((k) => k.id > 1 << 20)).toBe(true);
      await expectCompactEqualsFull();
    } finally {
      // later files get small ids again (none is taken: every id above the old ones is past 2^20)
      await db().$executeRawUnsafe(`SELECT setval('${seq}', (SELECT max(id) FROM "Kernel" WHERE id < ${1 << 20}))`);
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
        const incremental = await incidentRows([slug]);
        await recomputeIncidents();
        expect(await incidentRows([slug]), `seed ${seed}, batch ${b}`).toEqual(incremental);
      }
      const moduleId = (await db().module.findUniqueOrThrow({ where: { slug } })).id;
      expect((await checkStoredRules({ moduleIds: [moduleId] })).differences).toEqual([]);
      expect((await incidentRows([slug])).length).toBeGreaterThan(0);
    }
  }, 300_000);
});

/**
 * A long history of breakages, each undone a kernel or two later, reported as the load and real
 * reporters do: mostly on the newest kernels, now and then a kernel from the past, a re-run that
 * flips an old cell, or a new version. Detection keeps the stored incidents of the breakages a batch
 * cannot reach (breakageUnchanged) instead of asking their questions again; after every batch the
 * stored incidents equal a rebuild, and most breakages were kept, not detected again.
 */
describe("incremental detection keeps the breakages a batch cannot reach", () => {
  it("detects again a breakage that a later step joins from before its first bad kernel", async () => {
    // 1.0 breaks at k2 and is undone at k3. 1.1 passed up to k1, then was not built until k5, where
    // it fails: its step k1 → k5 overlaps the breakage's window, so it joins the breakage and, failing
    // in an earlier run with another error, names its error line, though k5 is after the fix.
    const slug = `flap-join-${tag}`;
    const k = (i: number) => `6.1.0-${abi + 9000 + i}-amd64`;
    const r = (version: string, i: number, status: "pass" | "fail", finishedAt: string, errorLine = "implicit declaration of function 'strlcpy'") =>
      ({ module: slug, moduleVersion: version, kernel: k(i), arch: "x86_64", stage: "build", status, ...(status === "fail" ? { errorLine } : {}), finishedAt }) satisfies IngestResult;
    await recordResults(
      ingestBody(`flap-${tag}`, "join-1", [
        ...[0, 1, 3, 4].map((i) => r("1.0", i, "pass", "2025-05-10T00:00:00Z")),
        r("1.0", 2, "fail", "2025-05-10T00:00:00Z"),
        ...[0, 1].map((i) => r("1.1", i, "pass", "2025-05-10T00:00:00Z")),
      ]),
    );
    expect((await incidentRows([slug])).map((i) => i.errorLine)).toEqual(["implicit declaration of function 'strlcpy'"]);
    await recordResults(ingestBody(`flap-${tag}`, "join-2", [r("1.1", 5, "fail", "2025-05-01T00:00:00Z", "'struct inode' has no member named 'i_mtime'")]));
    const incremental = await incidentRows([slug]);
    await recomputeIncidents({ slugs: [slug] });
    expect(await incidentRows([slug])).toEqual(incremental);
    expect(incremental.map((i) => i.errorLine)).toEqual(["'struct inode' has no member named 'i_mtime'"]);
  });

  it("equals a rebuild after every batch of long, flapping histories, over 4 random seeds", async () => {
    const logged: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void logged.push(args.join(" ")));
    process.env.MODCOMPAT_INGEST_PHASES = "1";
    const slugs: string[] = [];
    try {
      for (const seed of [21, 22, 23, 24]) {
        const slug = `flap-${seed}-${tag}`;
        slugs.push(slug);
        const rnd = mulberry32(seed);
        const kernelAt = (i: number) => `6.1.0-${abi + 1000 * seed + i}-amd64`;
        // Each version breaks now and then for one to three kernels; breaks of different versions
        // overlap or not. Some kernels are reported late, and some late reports or re-runs say
        // something else than the first (an earlier fix, a break that was missed).
        const truth: ("pass" | "fail")[][] = [];
        const versionsUsed = 4;
        for (let vi = 0; vi < versionsUsed; vi++) {
          const row: ("pass" | "fail")[] = [];
          for (let ki = 0; ki < 80; ) {
            const pass = 1 + Math.floor(rnd() * 5);
            for (let j = 0; j < pass; j++) row[ki++] = "pass";
            const fail = 1 + Math.floor(rnd() * 3);
            for (let j = 0; j < fail; j++) row[ki++] = "fail";
          }
          truth.push(row);
        }
        const reported = new Set<string>();
        let newest = 0;
        for (let b = 0; b < 16; b++) {
          const results: IngestResult[] = [];
          const add = (vi: number, ki: number, status: "pass" | "fail") => {
            reported.add(`${vi}|${ki}`);
            results.push({
              module: slug,
              moduleVersion: `1.${vi}`,
              kernel: kernelAt(ki),
              arch: "x86_64",
              stage: "build",
              status,
              ...(status === "fail" ? { errorLine: "implicit declaration of function 'strlcpy'" } : {}),
              finishedAt: `2025-04-${String(1 + b).padStart(2, "0")}T0${Math.floor(rnd() * 9)}:00:00Z`,
            });
          };
          // the newest kernels, a version (from the third batch, the newest) now and then left out
          for (let ki = newest; ki < newest + 4; ki++) for (let vi = 0; vi < (b < 2 ? versionsUsed - 1 : versionsUsed); vi++) if (rnd() < 0.8) add(vi, ki, truth[vi][ki]);
          newest += 4;
          // late reports of cells left out, and re-runs of old cells, some saying something else
          for (let n = 0; n < 3; n++) {
            const vi = Math.floor(rnd() * versionsUsed);
            const ki = Math.floor(rnd() * newest);
            if (rnd() < 0.5 && reported.has(`${vi}|${ki}`)) continue;
            add(vi, ki, rnd() < 0.3 ? (truth[vi][ki] === "pass" ? "fail" : "pass") : truth[vi][ki]);
          }
          await recordResults(ingestBody(`flap-${tag}`, `run-${seed}-${b}`, results));
          const incremental = await incidentRows([slug]);
          await recomputeIncidents({ slugs: [slug] });
          expect(await incidentRows([slug]), `seed ${seed}, batch ${b}`).toEqual(incremental);
        }
      }
    } finally {
      delete process.env.MODCOMPAT_INGEST_PHASES;
      log.mockRestore();
    }
    expect((await incidentRows(slugs)).length).toBeGreaterThan(40);
    // the ingest's lines (the rebuild's say how many results they read instead)
    const ingest = logged.filter((l) => l.includes("incidents kept"));
    const kept = ingest.map((l) => Number(/(\d+) incidents kept/.exec(l)![1])).reduce((a, b) => a + b, 0);
    const detected = ingest.map((l) => Number(/, (\d+) incidents \(/.exec(l)![1])).reduce((a, b) => a + b, 0);
    console.info(`flapping histories: over ${ingest.length} batches ${kept} incidents kept, ${detected} detected again`);
    // most batches touch the newest kernels, a few reach back: about half the breakages are kept
    expect(kept, ingest.join("\n")).toBeGreaterThan(detected / 2);
  }, 300_000);
});
