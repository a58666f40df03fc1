import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { ingestBodySchema } from "@/lib/schemas/ingest";
import { DEMO_DIR, loadBody } from "@/lib/services/load-demo";
import { checkStoredRules, reindex } from "@/lib/services/reindex";

/**
 * `modcompat db reindex`: on the demo data, what is stored equals what today's rules recompute
 * (CI runs this with npm test); and a stored output made wrong is found and rebuilt.
 */
const root = path.resolve(import.meta.dirname, "../..");

beforeAll(async () => {
  const body = ingestBodySchema.parse(JSON.parse(readFileSync(path.join(DEMO_DIR, "debian12-dkms.json"), "utf8")));
  await loadBody(body);
});

function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, "bin/modcompat.mjs"), ...args], { cwd: root, env: process.env, timeout: 120_000 }, (err, stdout) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout }),
    );
  });
}

describe("stored rule outputs equal their recomputation", () => {
  it("on the demo data (and everything else the tests stored), nothing differs", async () => {
    const r = await checkStoredRules();
    expect(r.differences).toEqual([]);
  });

  it("finds a wrong sort key, cell, states row and incident, and reindex rebuilds them", async () => {
    const kernel = await db().kernel.findUniqueOrThrow({ where: { version: "6.1.0-56-amd64" } });
    const cell = await db().cell.findFirstOrThrow({ where: { kernelId: kernel.id, status: "fail" } });
    const incident = await db().incident.findFirstOrThrow({ where: { module: { slug: "lttng-modules" } } });
    await db().kernel.update({ where: { id: kernel.id }, data: { sortKey: "0", distro: "ubuntu" } });
    await db().cell.update({ where: { moduleVersionId_kernelId_arch: { moduleVersionId: cell.moduleVersionId, kernelId: kernel.id, arch: cell.arch } }, data: { status: "pass" } });
    await db().versionCellStates.deleteMany({ where: { moduleVersionId: cell.moduleVersionId, series: "6.12" } });
    await db().incident.update({ where: { id: incident.id }, data: { status: incident.status === "open" ? "fixed" : "open" } });

    const before = await checkStoredRules();
    expect(before.differences).toEqual(
      expect.arrayContaining([
        { what: "kernel", row: "6.1.0-56-amd64", detail: "sortKey, distro" },
        { what: "cell", row: `${cell.moduleVersionId}:${kernel.id}:${cell.arch}`, detail: "status" },
        { what: "versionCellStates", row: `${cell.moduleVersionId} × 6.12`, detail: "missing" },
        expect.objectContaining({ what: "incident", detail: "status" }),
      ]),
    );
    const { code, stdout } = await cli(["db", "reindex", "--check"]);
    expect({ code, last: stdout.trim().split("\n").at(-1) }).toEqual({ code: 1, last: expect.stringMatching(/^\d+ stored rule outputs differ from today's rules/) });

    const done = await reindex();
    expect(done.counts.kernel).toBe(1);
    expect((await checkStoredRules()).differences).toEqual([]);
    expect(await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).toMatchObject({ status: incident.status });
  });
});
