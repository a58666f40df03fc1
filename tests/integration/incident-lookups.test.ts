import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { IngestResult } from "@/lib/schemas/ingest";
import { recordResults } from "@/lib/services/record-results";
import { recomputeIncidents } from "@/lib/services/regressions/recompute-incidents";
import { detectGridIncidents } from "@/lib/services/regressions/detect-grid-incidents";
import { checkStoredRules } from "@/lib/services/reindex";
import { ingestBody, uniqueAbi, uniqueTag } from "./helpers";

/**
 * Issue 14, detection by indexed lookups: the ingest keeps each cell's regression step (the last
 * good kernel of a pass → fail step of its version's walk along its line, Cell.lastGoodKernelId)
 * and detects a grid's incidents from those steps and a few lookups (detect-grid-incidents.ts). These
 * cases move the verdicts around a step and check, after every batch, the stored steps against
 * the table, the incidents against a rebuild from the results, and every stored column against
 * `reindex --check`.
 */
const tag = uniqueTag();
const abi = uniqueAbi();
const debian = `6.1.0-${abi}-amd64`;

async function moduleId(slug: string) {
  return (await db().module.findUniqueOrThrow({ where: { slug } })).id;
}

/** The stored steps of a module: "version kernel ← last good kernel". */
async function steps(slug: string): Promise<string[]> {
  const rows = await db().$queryRaw<{ v: string; k: string; g: string }[]>`
    SELECT v.version AS v, k.version AS k, g.version AS g FROM "Cell" c
    JOIN "ModuleVersion" v ON v.id = c."moduleVersionId" JOIN "Kernel" k ON k.id = c."kernelId" JOIN "Kernel" g ON g.id = c."lastGoodKernelId"
    WHERE c."moduleId" = ${await moduleId(slug)} ORDER BY 1, 2`;
  return rows.map((r) => `${r.v} ${r.k} ← ${r.g}`);
}

async function snapshot(slug: string) {
  const rows = await db().incident.findMany({
    where: { module: { slug } },
    include: { versions: { select: { moduleVersionId: true }, orderBy: { moduleVersionId: "asc" } } },
    orderBy: { key: "asc" },
  });
  return rows.map(({ createdAt, updatedAt, ...rest }) => (void [createdAt, updatedAt], rest));
}

async function expectRebuildAgrees(slug: string, label: string) {
  const incremental = await snapshot(slug);
  await recomputeIncidents();
  expect(await snapshot(slug), label).toEqual(incremental);
  expect((await checkStoredRules({ moduleIds: [await moduleId(slug)] })).differences, label).toEqual([]);
  // Nothing was left for a whole-module walk: the ingest kept every step itself.
  expect(await db().cell.count({ where: { moduleVersion: { module: { slug } }, NOT: { walked: true, observed: true } } }), label).toBe(0);
  return incremental;
}

type Row = [version: string, kernel: string, status: "pass" | "fail" | "skip", day: number];

describe("regression steps move with the verdicts around them", () => {
  const slug = `steps-${tag}`;
  const result = ([version, kernel, status, day]: Row): IngestResult => ({
    module: slug,
    moduleVersion: version,
    kernel,
    arch: "x86_64",
    stage: "build",
    status,
    ...(status === "fail" ? { errorLine: "implicit declaration of function 'strlcpy'" } : {}),
    finishedAt: `2025-05-${String(day).padStart(2, "0")}T00:00:00Z`,
  });
  // batch → the steps stored after it
  const table: [what: string, rows: Row[], steps: string[]][] = [
    ["a break between 6.1 and 6.6", [["1.0", "6.1", "pass", 1], ["1.0", "6.6", "fail", 1]], ["1.0 6.6 ← 6.1"]],
    ["a pass inside the gap narrows it", [["1.0", "6.3", "pass", 2]], ["1.0 6.6 ← 6.3"]],
    ["a fail inside the gap moves the step to it", [["1.0", "6.4", "fail", 3]], ["1.0 6.4 ← 6.3"]],
    ["that cell turns flaky (no verdict): the step goes back to 6.6", [["1.0", "6.4", "pass", 4]], ["1.0 6.6 ← 6.3"]],
    ["a skip is no verdict either", [["1.0", "6.5", "skip", 5]], ["1.0 6.6 ← 6.3"]],
    ["another line's kernels are another walk", [["1.0", debian, "fail", 5], ["1.0", "6.5.1", "fail", 5]], ["1.0 6.5.1 ← 6.3"]],
    ["the kernel side undoes it on 6.12, a release fixes it on 6.6", [["1.0", "6.12", "pass", 6], ["2.0", "6.6", "pass", 6], ["2.0", "6.1", "pass", 6]], ["1.0 6.5.1 ← 6.3"]],
    ["a second break of 2.0, and of 1.0 after 6.12", [["2.0", "6.13", "fail", 7], ["2.0", "6.12", "pass", 7], ["1.0", "6.13", "fail", 7]], ["1.0 6.13 ← 6.12", "1.0 6.5.1 ← 6.3", "2.0 6.13 ← 6.12"]],
    ["a fail from the past inside the first gap", [["1.0", "6.2", "fail", 1]], ["1.0 6.13 ← 6.12", "1.0 6.2 ← 6.1", "1.0 6.5.1 ← 6.3", "2.0 6.13 ← 6.12"]],
    ["the first verdict of a walk never steps: 6.1 fails now", [["1.0", "6.1", "fail", 8], ["1.0", "6.1", "fail", 9]], ["1.0 6.13 ← 6.12", "1.0 6.5.1 ← 6.3", "2.0 6.13 ← 6.12"]],
    ["6.2 passes after failing (flaky): 6.3 no longer steps from anything", [["1.0", "6.2", "pass", 9], ["1.0", "6.3", "fail", 9]], ["1.0 6.13 ← 6.12", "2.0 6.13 ← 6.12"]],
  ];

  it("as the table says, equal to a rebuild after every batch", async () => {
    for (const [n, [what, rows, want]] of table.entries()) {
      await recordResults(ingestBody(`steps-${tag}`, `run-${n}`, rows.map(result)));
      expect(await steps(slug), what).toEqual(want);
      await expectRebuildAgrees(slug, what);
    }
    expect((await snapshot(slug)).length).toBeGreaterThan(0);
  }, 120_000);
});

describe("a module from before migration 0012", () => {
  it("is walked whole by the next ingest, once, and then equals a rebuild", async () => {
    const slug = `unwalked-${tag}`;
    const kernels = ["6.1", "6.2", "6.3", "6.4", debian, `6.1.0-${abi + 1}-amd64`];
    const results = (day: number, broken: number): IngestResult[] =>
      ["1.0", "1.1", "2.0"].flatMap((version, vi) =>
        kernels.map((kernel, ki) => ({
          module: slug,
          moduleVersion: version,
          kernel,
          arch: "aarch64",
          stage: "build" as const,
          status: (ki % 4) >= broken && vi < 2 ? ("fail" as const) : ("pass" as const),
          finishedAt: `2025-06-${String(day).padStart(2, "0")}T00:00:00Z`,
        })),
      );
    await recordResults(ingestBody(`unwalked-${tag}`, "run-0", results(1, 2)));
    const before = await steps(slug);
    expect(before.length).toBeGreaterThan(0);
    // Rows as migration 0012 leaves them.
    const id = await moduleId(slug);
    await db().$executeRaw`UPDATE "Cell" SET walked = false, line = NULL, "kernelKey" = NULL, "lastGoodKernelId" = NULL WHERE "moduleId" = ${id}`;
    await db().$executeRaw`UPDATE "Kernel" SET line = NULL WHERE version = ANY(${kernels.slice(4)}::text[])`;
    const stale = await checkStoredRules({ moduleIds: [id] });
    expect(stale.counts.cell).toBe(kernels.length * 3);
    expect(stale.differences.filter((d) => d.what === "kernel" && kernels.includes(d.row)).map((d) => [d.row, d.detail])).toEqual(kernels.slice(4).map((k) => [k, "line"]));
    await recordResults(ingestBody(`unwalked-${tag}`, "run-1", results(2, 1).filter((r) => r.kernel === "6.2")));
    expect(await steps(slug)).not.toEqual([]);
    await expectRebuildAgrees(slug, "after the walk");
  }, 60_000);
});

describe("detection by lookups reads a few cells per incident, not the grid", () => {
  it("on 12 versions × 40 kernels with one break fixed by a release", async () => {
    const slug = `lookups-${tag}`;
    const kernels = Array.from({ length: 40 }, (_, i) => `6.1.${1000 + i}`);
    const versions = Array.from({ length: 12 }, (_, i) => `3.${i}`);
    const results: IngestResult[] = versions.flatMap((version, vi) =>
      kernels.map((kernel, ki) => ({
        module: slug,
        moduleVersion: version,
        kernel,
        arch: "x86_64",
        stage: "build" as const,
        status: ki >= 17 && vi < 7 ? ("fail" as const) : ("pass" as const),
        finishedAt: "2025-07-01T00:00:00Z",
      })),
    );
    await recordResults(ingestBody(`lookups-${tag}`, "run-0", results));
    const [incident] = await expectRebuildAgrees(slug, "one break");
    expect(incident).toBeDefined();
    const detected = await db().$transaction((tx) => detectGridIncidents(tx, incident.moduleId, [{ arch: "x86_64", line: "mainline/" }]));
    expect(detected.incidents.map((i) => [i.lastGoodKernel, i.firstBadKernel, i.affectedVersions.length, i.fixedIn])).toEqual([["6.1.1016", "6.1.1017", 7, "3.7"]]);
    // 7 steps, then each version's first pass after the break (none), each version's first
    // verdict from it: 7 + 12 cells of 480.
    const read = Number(/(\d+) cells/.exec(detected.read)![1]);
    expect(read).toBeLessThanOrEqual(7 + 7 + 12);
  }, 60_000);
});
