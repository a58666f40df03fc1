import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { recordSourceScans } from "@/lib/services/footprints/record-source-scans";
import { recordResults } from "@/lib/services/record-results";
import { result, uniqueAbi, uniqueTag } from "./helpers";

const footprint = { symbols: ["kfree"], headers: ["linux/module.h"], includes: ["linux/module.h"], references: ["kfree"], licences: ["GPL"], importedNamespaces: [] };

/** Migration 0009_footprint_fk: a footprint goes with its module version or its kernel. */
describe("footprints are deleted with what they belong to", () => {
  it("deleting a module version or a kernel deletes its footprints", async () => {
    const tag = uniqueTag();
    const mod = `fpdel-${tag}`;
    const k1 = `6.1.0-${uniqueAbi()}-amd64`;
    const k2 = `6.1.0-${uniqueAbi()}-amd64`;
    await recordResults({
      run: { source: `fpdel-${tag}`, id: "r1" },
      results: [
        result({ module: mod, moduleVersion: "1.0", kernel: k1, footprint }),
        result({ module: mod, moduleVersion: "2.0", kernel: k1, footprint }),
        result({ module: mod, moduleVersion: "2.0", kernel: k2, footprint }),
      ],
    });
    const versions = await db().moduleVersion.findMany({ where: { module: { slug: mod } }, orderBy: { version: "asc" } });
    const ids = versions.map((v) => v.id);
    const count = () => db().footprint.count({ where: { moduleVersionId: { in: ids } } });
    expect(await count()).toBe(3);

    await db().moduleVersion.delete({ where: { id: versions[0].id } });
    expect(await count()).toBe(2);

    await db().kernel.delete({ where: { version: k2 } });
    expect(await count()).toBe(1);
    expect(await db().footprint.findMany({ where: { moduleVersionId: { in: ids } }, select: { moduleVersionId: true } })).toEqual([{ moduleVersionId: versions[1].id }]);
  });

  it("deleting a module version deletes its source scan (migration 0010_source_scan)", async () => {
    const tag = uniqueTag();
    const mod = `scandel-${tag}`;
    await recordResults({ run: { source: `scandel-${tag}`, id: "r1" }, results: [result({ module: mod, moduleVersion: "1.0", kernel: `6.1.0-${uniqueAbi()}-amd64`, footprint })] });
    expect(await recordSourceScans([{ module: mod, version: "1.0", calls: ["kfree/1"], source: "dir:/src", sourceDigest: "a".repeat(64), files: 1 }])).toEqual({ stored: 1, unknownVersions: [] });
    const mv = await db().moduleVersion.findFirstOrThrow({ where: { module: { slug: mod } } });
    expect(await db().sourceScan.count({ where: { moduleVersionId: mv.id } })).toBe(1);
    await db().moduleVersion.delete({ where: { id: mv.id } });
    expect(await db().sourceScan.count({ where: { moduleVersionId: mv.id } })).toBe(0);
  });

  it("deleting a module deletes its cells through its versions (Cell.moduleId has no key of its own, migration 0015)", async () => {
    const tag = uniqueTag();
    const mod = `celldel-${tag}`;
    const other = `celldel-other-${tag}`;
    const kernel = `6.1.0-${uniqueAbi()}-amd64`;
    await recordResults({
      run: { source: `celldel-${tag}`, id: "r1" },
      results: [result({ module: mod, moduleVersion: "1.0", kernel }), result({ module: mod, moduleVersion: "2.0", kernel }), result({ module: other, moduleVersion: "1.0", kernel })],
    });
    const [m, o] = await Promise.all([mod, other].map((slug) => db().module.findUniqueOrThrow({ where: { slug } })));
    const cells = (moduleId: number) => db().cell.count({ where: { moduleId } });
    expect([await cells(m.id), await cells(o.id)]).toEqual([2, 1]);
    const keys = await db().$queryRawUnsafe<{ conname: string }[]>(`SELECT conname FROM pg_constraint WHERE conrelid = '"Cell"'::regclass AND contype = 'f' ORDER BY conname`);
    expect(keys.map((k) => k.conname)).toEqual(["Cell_kernelId_fkey", "Cell_moduleVersionId_fkey"]);

    await db().module.delete({ where: { id: m.id } });
    expect([await cells(m.id), await cells(o.id)]).toEqual([0, 1]);
  });
});
