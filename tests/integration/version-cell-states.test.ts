import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { recordResults } from "@/lib/services/record-results";
import { decodeVersionCellStates, refreshVersionCellStates } from "@/lib/services/version-cell-states";
import { ingestBody, result, uniqueAbi, uniqueTag } from "./helpers";

const tag = uniqueTag();
const source = `vcs-${tag}`;
const abi = uniqueAbi();
const K = [`6.1.0-${abi}-amd64`, `6.6.0-${abi}-amd64`, `6.12.0-${abi}-amd64`];

/** The version's Cell rows, as the states row should list them. */
async function cellsOf(moduleVersionId: number) {
  const rows = await db().cell.findMany({ where: { moduleVersionId }, select: { kernelId: true, arch: true, status: true } });
  return rows.map((r) => `${r.arch} ${r.kernelId} ${r.status}`).sort();
}

/** The version's VersionCellStates rows decoded, checking that each lists only kernels of its series. */
async function statesOf(moduleVersionId: number) {
  const rows = await db().versionCellStates.findMany({ where: { moduleVersionId } });
  const series = new Map((await db().kernel.findMany({ select: { id: true, series: true } })).map((k) => [k.id, k.series]));
  return rows
    .flatMap((row) => {
      const decoded = decodeVersionCellStates(row.states);
      expect(row.cellCount).toBe(decoded.length);
      for (const e of decoded) expect(series.get(e.kernelId), `kernel ${e.kernelId} in the ${row.series} row`).toBe(row.series);
      return decoded.map((e) => `${e.arch} ${e.kernelId} ${e.status}`);
    })
    .sort();
}

async function versionId(slug: string, version: string) {
  const v = await db().moduleVersion.findFirstOrThrow({ where: { version, module: { slug } } });
  return v.id;
}

describe("VersionCellStates (the check's one-row-per-version copy of Cell)", () => {
  it("matches the Cell rows after an ingest, and again after a later ingest changes a cell", async () => {
    const mod = `vcs-a-${tag}`;
    await recordResults(
      ingestBody(source, "r1", [
        result({ module: mod, kernel: K[0], status: "pass" }),
        result({ module: mod, kernel: K[0], arch: "aarch64", status: "pass" }),
        result({ module: mod, kernel: K[1], status: "skip" }),
        result({ module: mod, kernel: K[2], status: "fail", errorLine: "error: implicit declaration of function 'strlcpy'" }),
        result({ module: mod, kernel: K[2], arch: "aarch64", status: "error" }),
      ]),
    );
    const id = await versionId(mod, "1.0.0");
    const first = await statesOf(id);
    expect(first).toEqual(await cellsOf(id));
    expect(first).toHaveLength(5);

    // A newer pass on 6.12/x86_64 flips that cell; the row must follow in the same ingest.
    await recordResults(ingestBody(source, "r2", [result({ module: mod, kernel: K[2], status: "pass", finishedAt: "2099-01-01T00:00:00Z" })]));
    const second = await statesOf(id);
    expect(second).toEqual(await cellsOf(id));
    expect(second).not.toEqual(first);
  });

  it("keeps other versions' rows untouched and drops with its module version", async () => {
    const mod = `vcs-b-${tag}`;
    await recordResults(
      ingestBody(source, "r3", [result({ module: mod, moduleVersion: "1.0.0", kernel: K[0] }), result({ module: mod, moduleVersion: "2.0.0", kernel: K[0], status: "fail" })]),
    );
    const v1 = await versionId(mod, "1.0.0");
    const v2 = await versionId(mod, "2.0.0");
    expect(await statesOf(v1)).toEqual(await cellsOf(v1));
    expect(await statesOf(v2)).toEqual(await cellsOf(v2));
    await db().moduleVersion.delete({ where: { id: v2 } });
    expect(await db().versionCellStates.count({ where: { moduleVersionId: v2 } })).toBe(0);
    expect(await statesOf(v1)).toEqual(await cellsOf(v1));
  });

  it("migration 0003's backfill writes exactly what refreshVersionCellStates writes", async () => {
    const mod = `vcs-c-${tag}`;
    await recordResults(
      ingestBody(
        source,
        "r4",
        K.flatMap((kernel, i) => ["x86_64", "aarch64", "ppc64le"].map((arch, j) => result({ module: mod, kernel, arch, status: (["pass", "fail", "skip", "error"] as const)[(i + j) % 4] }))),
      ),
    );
    const id = await versionId(mod, "1.0.0");
    const rowsOf = (rows: { series: string; states: string; cellCount: number }[]) =>
      rows.map((r) => ({ series: r.series, states: r.states, cellCount: r.cellCount })).sort((a, b) => (a.series < b.series ? -1 : 1));
    const viaRefresh = rowsOf(await db().versionCellStates.findMany({ where: { moduleVersionId: id } }));
    expect(viaRefresh.map((r) => r.series)).toEqual(["6.1", "6.12", "6.6"]);
    const migration = readFileSync(path.join(process.cwd(), "prisma/migrations/0003_version_cell_states/migration.sql"), "utf8");
    const backfill = migration.slice(migration.indexOf("INSERT INTO"));
    // Run the backfill for this version only, into an empty copy of the table.
    await db().$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`CREATE TEMP TABLE vcs_copy (LIKE "VersionCellStates") ON COMMIT DROP`);
      const scoped = backfill.replace(`INSERT INTO "VersionCellStates"`, "INSERT INTO vcs_copy").replace(`GROUP BY c."moduleVersionId"`, `WHERE c."moduleVersionId" = ${id} GROUP BY c."moduleVersionId"`);
      expect(scoped).toContain(`WHERE c."moduleVersionId" = ${id}`);
      await tx.$executeRawUnsafe(scoped);
      expect(rowsOf(await tx.$queryRawUnsafe(`SELECT series, states, "cellCount" FROM vcs_copy`))).toEqual(viaRefresh);
      // And refreshing again changes nothing.
      const cells = await tx.cell.findMany({ where: { moduleVersionId: id }, select: { moduleVersionId: true, kernelId: true } });
      await refreshVersionCellStates(tx, cells);
      expect(rowsOf(await tx.versionCellStates.findMany({ where: { moduleVersionId: id } }))).toEqual(viaRefresh);
    });
    expect(viaRefresh.reduce((n, r) => n + r.cellCount, 0)).toBe(9);
  });
});
