import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { type IngestBody } from "@/lib/schemas/ingest";
import { getHeadline } from "@/lib/services/get-headline";
import { getMatrix } from "@/lib/services/get-matrix";
import { countModules, listModuleRows, listModules } from "@/lib/services/list-modules";
import { DEMO_DIR, loadBody, readIngestFile } from "@/lib/services/load-demo";
import { recordResults } from "@/lib/services/record-results";
import { listUpcoming } from "@/lib/services/upcoming/list-upcoming";
import { result, uniqueAbi, uniqueTag } from "./helpers";
import { getHeadlineByPrisma, listUpcomingByPrisma } from "./reference/landing-by-prisma";

/**
 * The landing page's reads moved from Prisma (a statement per relation, joined in Node, each
 * compiled again) to node-pg (issue 11: Node CPU per page). They must answer exactly what the
 * Prisma reads answered, on the demo's real builds (renamed to this file's own modules) plus an
 * upcoming kernel with a dated release, and whatever the other files left in the database.
 */
const tag = uniqueTag();
const own = (slug: string) => `${slug}-${tag}`;
const renamed = (body: IngestBody): IngestBody => ({
  ...body,
  run: { ...body.run, id: `${body.run.id}-${tag}` },
  modules: body.modules?.map((m) => ({ ...m, slug: own(m.slug) })),
  results: body.results.map((r) => ({ ...r, module: own(r.module) })),
});

beforeAll(async () => {
  for (const part of readIngestFile(path.join(DEMO_DIR, "debian12-dkms.json"))) await loadBody(renamed(part));
  // an upcoming series of its own: 8.4 released, 8.5-rc upcoming (dated), with a break and a build
  const abi = uniqueAbi() % 90000;
  const base = `8.4.${abi}+deb13-amd64`;
  const rc = `8.5-rc${(abi % 900) + 1}-amd64`;
  await recordResults({
    run: { source: `landing-${tag}`, id: "1" },
    kernels: [{ kernel: rc, upstreamVersion: rc.replace("-amd64", ""), releasedAt: "2031-03-01T12:34:56.789Z", releasedAtSource: "test" }],
    results: [
      result({ module: own("la"), moduleVersion: "1.0", kernel: base }),
      result({ module: own("la"), moduleVersion: "1.0", kernel: rc, status: "fail", errorLine: "error: implicit declaration of function 'strlcpy'" }),
      result({ module: own("lb"), moduleVersion: "2.0", kernel: base }),
      result({ module: own("lb"), moduleVersion: "2.0", kernel: rc }),
    ],
  });
});

describe("the landing page's reads through node-pg equal those through Prisma", () => {
  it("headline", async () => {
    const h = await getHeadline();
    expect(h).not.toBeNull();
    expect(h).toEqual(await getHeadlineByPrisma());
  });

  it("upcoming kernels, with dates as Prisma reads them (UTC)", async () => {
    const now = await listUpcoming();
    expect(now.some((r) => r.kernel.startsWith("8.5-rc") && r.releasedAt?.toISOString() === "2031-03-01T12:34:56.789Z")).toBe(true);
    expect(now).toEqual(await listUpcomingByPrisma());
    expect(await listUpcoming({ limit: 1 })).toEqual(await listUpcomingByPrisma({ limit: 1 }));
  });

  it("module rows: the home page's rows are the API's rows without the counts, versions as Prisma counted them", async () => {
    const api = await listModules({ limit: 500 });
    const rows = await listModuleRows({ limit: 500 });
    const withoutCounts = api.map((m) => Object.fromEntries(Object.entries(m).filter(([k]) => !["cellCount", "failingCells", "newestPassingKernel"].includes(k))));
    expect(rows).toEqual(withoutCounts);
    const byPrisma = await db().module.findMany({ take: 500, orderBy: { slug: "asc" }, select: { slug: true, versions: { select: { version: true, sortKey: true } } } });
    expect(rows.map((r) => [r.slug, r.versionCount, r.newestVersion])).toEqual(
      byPrisma.map((m) => [m.slug, m.versions.length, m.versions.reduce<(typeof m.versions)[number] | null>((a, v) => (!a || v.sortKey > a.sortKey ? v : a), null)?.version ?? null]),
    );
    expect(rows.some((r) => r.slug === own("la"))).toBe(true);
    // the API's counts, as Prisma's aggregates count them
    const ids = await db().module.findMany({ take: 500, orderBy: { slug: "asc" }, select: { id: true } });
    const [cells, fails] = await Promise.all(
      [{}, { status: "fail" }].map((w) => db().cell.groupBy({ by: ["moduleId"], where: { moduleId: { in: ids.map((m) => m.id) }, ...w }, _count: { _all: true } })),
    );
    const n = (rows: typeof cells, id: number) => rows.find((r) => r.moduleId === id)?._count._all ?? 0;
    expect(api.map((m) => [m.cellCount, m.failingCells])).toEqual(ids.map((m) => [n(cells, m.id), n(fails, m.id)]));
    expect(api.find((m) => m.slug === own("lb"))?.newestPassingKernel).toMatch(/^8\.5-rc/);
    // unfiltered rows and count come through node-pg: same order, pages and count as Prisma's
    expect(await countModules()).toBe(await db().module.count());
    const page = await db().module.findMany({ take: 5, skip: 3, orderBy: { slug: "asc" }, select: { slug: true } });
    expect((await listModuleRows({ limit: 5, offset: 3 })).map((r) => r.slug)).toEqual(page.map((m) => m.slug));
  });
});

describe("the matrix API's reads through node-pg equal those through Prisma", () => {
  it("versions and kernels, dates as Prisma reads them (UTC)", async () => {
    // the demo's modules (renamed) and la, whose 8.5-rc kernel carries a release date
    const slugs = (await db().module.findMany({ where: { slug: { endsWith: `-${tag}` } }, select: { slug: true, id: true }, orderBy: { slug: "asc" } })).filter((m, i) => i < 5 || m.slug === own("la"));
    expect(slugs.length).toBeGreaterThan(0);
    let dated = 0;
    for (const { slug, id } of slugs) {
      const m = await getMatrix(slug);
      const versions = await db().moduleVersion.findMany({
        where: { moduleId: id },
        orderBy: { sortKey: "desc" },
        select: { id: true, version: true, releasedAt: true, releasedAtSource: true, declaredKernelMin: true, declaredKernelMax: true },
      });
      expect(m.versions.map((v) => ({ id: v.id, version: v.version, releasedAt: v.releasedAt, releasedAtSource: v.releasedAtSource, declaredKernelMin: v.declaredKernelMin, declaredKernelMax: v.declaredKernelMax }))).toEqual(versions);
      const kernels = m.series.flatMap((s) => s.kernels);
      const rows = await db().kernel.findMany({ where: { id: { in: kernels.map((k) => k.id) } }, select: { id: true, releasedAt: true, releasedAtSource: true, upstreamVersion: true } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const k of kernels) {
        expect([k.releasedAt, k.releasedAtSource]).toEqual([byId.get(k.id)!.releasedAt, byId.get(k.id)!.releasedAtSource]);
        if (k.releasedAt) dated++;
      }
    }
    expect(dated).toBeGreaterThan(0);
  });
});

