import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "@/lib/cli/main";
import { db } from "@/lib/db/client";
import { ingestBodySchema } from "@/lib/schemas/ingest";
import { DEMO_DIR, loadBody } from "@/lib/services/load-demo";
import { checkStoredRules, reindex } from "@/lib/services/reindex";

/**
 * `modcompat db reindex`: on the demo data, what is stored equals what today's rules recompute
 * (CI runs this with npm test); and a stored output made wrong is found and rebuilt.
 */
beforeAll(async () => {
  const body = ingestBodySchema.parse(JSON.parse(readFileSync(path.join(DEMO_DIR, "debian12-dkms.json"), "utf8")));
  await loadBody(body);
});

/** `npx modcompat …` in this process (bin/modcompat.mjs only adds tsx and process.exit). */
async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
  try {
    const code = await main(["node", "modcompat", ...args]);
    return { code, stdout: lines.join("\n") };
  } finally {
    log.mockRestore();
    process.exitCode = 0;
  }
}

describe("stored rule outputs equal their recomputation", () => {
  it("finds a wrong sort key, cell, states row and incident (and nothing else), and reindex rebuilds them", async () => {
    // The demo's one -rt kernel: few modules have results there, so the rebuild stays small.
    const rt = await db().kernel.findFirstOrThrow({ where: { version: { startsWith: "6.1.0-" }, flavour: "rt-amd64" }, include: { cells: { select: { moduleId: true } } } });
    const kernel = await db().kernel.findUniqueOrThrow({ where: { version: "6.1.0-56-amd64" } });
    const cell = await db().cell.findFirstOrThrow({ where: { kernelId: kernel.id, status: "fail" } });
    const incident = await db().incident.findFirstOrThrow({ where: { module: { slug: "lttng-modules" } } });
    const moduleIds = [...new Set([...rt.cells.map((c) => c.moduleId), cell.moduleId, incident.moduleId])];
    // Before anything is broken, the modules involved are right.
    expect((await checkStoredRules({ moduleIds })).differences).toEqual([]);

    await db().kernel.update({ where: { id: rt.id }, data: { sortKey: "0", distro: "ubuntu" } });
    await db().cell.update({ where: { moduleVersionId_kernelId_arch: { moduleVersionId: cell.moduleVersionId, kernelId: kernel.id, arch: cell.arch } }, data: { status: "pass" } });
    await db().versionCellStates.deleteMany({ where: { moduleVersionId: cell.moduleVersionId, series: "6.12" } });
    await db().incident.update({ where: { id: incident.id }, data: { status: incident.status === "open" ? "fixed" : "open" } });

    const before = await checkStoredRules({ moduleIds });
    expect(before.differences).toEqual(
      expect.arrayContaining([
        { what: "kernel", row: rt.version, detail: "sortKey, distro" },
        { what: "cell", row: `${cell.moduleVersionId}:${kernel.id}:${cell.arch}`, detail: "status" },
        { what: "versionCellStates", row: `${cell.moduleVersionId} × 6.12`, detail: "missing" },
        // the row of the changed cell's series no longer matches Cell either
        { what: "versionCellStates", row: `${cell.moduleVersionId} × ${kernel.series}`, detail: "states" },
        expect.objectContaining({ what: "incident", detail: "status" }),
      ]),
    );
    expect(before.differences.filter((d) => d.what !== "incident")).toHaveLength(4);

    const done = await reindex({ moduleIds });
    expect(done.counts.kernel).toBe(1);
    expect((await checkStoredRules({ moduleIds })).differences).toEqual([]);
    expect(await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).toMatchObject({ status: incident.status });
  });

  it("keeps each source's run summary through inserts, updates and deletes of runs, finds it when wrong, and rebuilds it", async () => {
    const source = `summary-${Date.now().toString(36)}`;
    const summary = () => db().sourceRunSummary.findUnique({ where: { source } });
    const run = (externalId: string, resultCount: number, startedAt: string, finishedAt: string | null) =>
      db().run.create({ data: { source, externalId, resultCount, startedAt: new Date(startedAt), finishedAt: finishedAt ? new Date(finishedAt) : null, bodyHash: externalId, summary: {} } });
    const a = await run("a", 3, "2026-01-02T00:00:00Z", "2026-01-02T01:00:00Z");
    const b = await run("b", 4, "2026-01-01T00:00:00Z", null);
    expect(await summary()).toMatchObject({ runs: 2, results: 7n, firstStartedAt: new Date("2026-01-01T00:00:00Z"), lastFinishedAt: new Date("2026-01-02T01:00:00Z"), lastRunId: b.id });

    await db().run.update({ where: { id: a.id }, data: { resultCount: 10 } });
    expect(await summary()).toMatchObject({ runs: 2, results: 14n });
    await db().run.delete({ where: { id: b.id } });
    expect(await summary()).toMatchObject({ runs: 1, results: 10n, firstStartedAt: new Date("2026-01-02T00:00:00Z"), lastRunId: a.id });

    await db().sourceRunSummary.update({ where: { source }, data: { runs: 99 } });
    expect((await checkStoredRules({ moduleIds: [] })).differences).toEqual([{ what: "sourceRunSummary", row: source, detail: "counts" }]);
    expect((await reindex({ moduleIds: [] })).counts.sourceRunSummary).toBe(1);
    expect(await summary()).toMatchObject({ runs: 1, results: 10n });
    expect((await checkStoredRules({ moduleIds: [] })).differences).toEqual([]);

    await db().run.delete({ where: { id: a.id } });
    expect(await summary()).toBeNull();
  });

  // Last: the command disconnects the process's database client when it is done. CI runs this
  // (npm test): on the demo data, and everything else the tests stored, nothing differs.
  it("`npx modcompat db reindex --check` over the whole database: nothing differs, exit code 0", async () => {
    const { code, stdout } = await cli(["db", "reindex", "--check"]);
    expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: expect.stringMatching(/^0 stored rule outputs differ from today's rules/) });
  });
});
