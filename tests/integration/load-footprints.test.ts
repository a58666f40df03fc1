import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { loadFootprints, MAX_FOOTPRINTS, type StoredFootprint } from "@/lib/services/footprints/load-footprints";
import { recordSourceScans } from "@/lib/services/footprints/record-source-scans";
import { recordResults } from "@/lib/services/record-results";
import { result, uniqueAbi, uniqueTag } from "./helpers";

// loadFootprints reads footprints in one node-pg statement with their arrays as JSON; these were
// Prisma's reads (four statements, text[] parsed in JavaScript). The same footprints either way.
async function prismaFootprints(where: { moduleVersionIds?: number[] } = {}): Promise<StoredFootprint[]> {
  const rows = await db().footprint.findMany({
    where: where.moduleVersionIds ? { moduleVersionId: { in: where.moduleVersionIds } } : {},
    take: MAX_FOOTPRINTS + 1,
    orderBy: [{ moduleVersionId: "asc" }, { kernelId: "asc" }, { arch: "asc" }],
  });
  const kept = rows.slice(0, MAX_FOOTPRINTS);
  const versionIds = [...new Set(kept.map((r) => r.moduleVersionId))];
  const [versions, kernels, scans] = await Promise.all([
    db().moduleVersion.findMany({ where: { id: { in: versionIds } }, select: { id: true, version: true, module: { select: { slug: true } } } }),
    db().kernel.findMany({ where: { id: { in: [...new Set(kept.map((r) => r.kernelId))] } }, select: { id: true, version: true, sortKey: true } }),
    db().sourceScan.findMany({ where: { moduleVersionId: { in: versionIds } }, select: { moduleVersionId: true, calls: true } }),
  ]);
  const scanned = new Map(scans.map((x) => [x.moduleVersionId, x.calls]));
  const v = new Map(versions.map((x) => [x.id, x]));
  const k = new Map(kernels.map((x) => [x.id, x]));
  return kept.map((r) => {
    const extra = scanned.get(r.moduleVersionId);
    return {
      module: v.get(r.moduleVersionId)!.module.slug,
      version: v.get(r.moduleVersionId)!.version,
      moduleVersionId: r.moduleVersionId,
      kernel: k.get(r.kernelId)!.version,
      kernelSortKey: k.get(r.kernelId)!.sortKey,
      arch: r.arch,
      symbols: r.symbols,
      headers: r.headers,
      references: r.references,
      includes: r.includes,
      macroCalls: extra ? [...new Set([...r.macroCalls, ...extra])].sort() : r.macroCalls,
      licences: r.licences,
      importedNamespaces: r.importedNamespaces,
    };
  });
}

const tag = uniqueTag();
const mod = `fp-load-${tag}`;
const abi = uniqueAbi();
const K1 = `6.1.0-${abi}-amd64`;
const K2 = `6.12.0-${abi}-amd64`;
const footprint = (symbols: string[], extra: Partial<Record<"macroCalls" | "licences" | "importedNamespaces" | "includes", string[]>> = {}) => ({
  symbols,
  headers: ["linux/module.h", "linux/fs.h"],
  references: [...symbols, "a \"quoted\", {braced} name", "back\\slash"],
  includes: [],
  licences: ["GPL"],
  importedNamespaces: [],
  ...extra,
});
let ids: number[] = [];

beforeAll(async () => {
  await recordResults({
    run: { source: `fp-load-${tag}`, id: "r1" },
    results: [
      result({ module: mod, moduleVersion: "1.0", kernel: K1, footprint: footprint(["vmalloc", "kfree"], { macroCalls: ["kfree/1", "DEFINE_MUTEX/1"] }) }),
      result({ module: mod, moduleVersion: "1.0", kernel: K2, footprint: footprint(["vmalloc"]) }),
      result({ module: mod, moduleVersion: "1.0", kernel: K2, arch: "aarch64", footprint: footprint([], { licences: [], importedNamespaces: ["DMA_BUF"] }) }),
      result({ module: mod, moduleVersion: "2.0", kernel: K1, footprint: footprint(["__class_create"], { includes: ["linux/device.h"] }) }),
    ],
  });
  // a source scan adds calls to version 1.0's footprints (and repeats one of them)
  await recordSourceScans([{ module: mod, version: "1.0", calls: ["kfree/1", "alloc_chrdev_region/3"], source: "dir:/src", sourceDigest: "b".repeat(64), files: 1 }]);
  ids = (await db().moduleVersion.findMany({ where: { module: { slug: mod } }, select: { id: true }, orderBy: { id: "asc" } })).map((v) => v.id);
});

describe("footprints through node-pg", () => {
  it("are Prisma's, for some versions and for all", async () => {
    const ours = await loadFootprints({ moduleVersionIds: ids });
    expect(ours.truncated).toBe(false);
    expect(ours.footprints).toHaveLength(4);
    expect(ours.footprints).toEqual(await prismaFootprints({ moduleVersionIds: ids }));
    const one = await loadFootprints({ moduleVersionIds: [ids[1]] });
    expect(one.footprints.map((f) => f.version)).toEqual(["2.0"]);
    expect(one.footprints).toEqual(await prismaFootprints({ moduleVersionIds: [ids[1]] }));
    expect((await loadFootprints()).footprints).toEqual(await prismaFootprints());
    expect((await loadFootprints({ moduleVersionIds: [] })).footprints).toEqual([]);
  });

  it("keeps the texts exactly and merges a source scan's calls", async () => {
    const [f] = (await loadFootprints({ moduleVersionIds: [ids[0]] })).footprints;
    expect(f.references).toContain('a "quoted", {braced} name');
    expect(f.references).toContain("back\\slash");
    expect(f.macroCalls).toEqual(["DEFINE_MUTEX/1", "alloc_chrdev_region/3", "kfree/1"]);
  });
});
