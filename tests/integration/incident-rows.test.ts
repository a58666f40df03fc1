import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { IngestResult } from "@/lib/schemas/ingest";
import { recordResults } from "@/lib/services/record-results";
import { INCIDENT_ORDER_SQL, loadIncidentListFacts, loadIncidentRows, type IncidentFilter, type IncidentOrder } from "@/lib/services/regressions/incident-rows";
import { incidentInclude, toSummary, type IncidentRow } from "@/lib/services/regressions/incident-summary";
import { GCC_STRLCPY_LOG, result, uniqueAbi, uniqueTag } from "./helpers";

// The history and regressions pages read incidents through node-pg in one statement
// (incident-rows.ts) instead of Prisma's include (a statement per relation): the same rows, and so
// the same summaries, whatever the filter, order and page. Prisma's reads are the oracle here.
const tag = uniqueTag();
const LOOP = `ir-loop-${tag}`; // breaks on an rc, fixed by a released version
const ZFS = `ir-zfs-${tag}`; // fixed on a snapshot, then released; a Debian-only break stays open
const KFIX = `ir-kfix-${tag}`; // fixed by a later kernel
const abi = uniqueAbi();
const D1 = `6.1.0-${abi}-amd64`;
const D2 = `6.1.0-${abi + 1}-amd64`;
const D3 = `6.1.0-${abi + 2}-amd64`;
const at = (d: string) => `${d}T12:00:00Z`;
const r = (module: string, moduleVersion: string, kernel: string, status: IngestResult["status"], on: string, extra: Partial<IngestResult> = {}): IngestResult =>
  result({ module, moduleVersion, kernel, status, finishedAt: at(on), ...extra });
let run = 0;
const ingest = (results: IngestResult[], modules?: Parameters<typeof recordResults>[0]["modules"], kernels?: Parameters<typeof recordResults>[0]["kernels"]) =>
  recordResults({ run: { source: `ir-${tag}`, id: `r${++run}` }, results, ...(modules ? { modules } : {}), ...(kernels ? { kernels } : {}) });

beforeAll(async () => {
  await ingest(
    [
      r(LOOP, "0.12.5", "6.7", "pass", "2024-01-08"),
      r(LOOP, "0.12.5", "6.8-rc1", "fail", "2024-01-22", { log: GCC_STRLCPY_LOG }),
      r(ZFS, "2.2.2", "6.7.12", "pass", "2024-01-10"),
      r(ZFS, "2.2.2", "6.8.1", "fail", "2024-03-20", { errorLine: "'struct block_device' has no member named 'bd_inode'" }),
      r(KFIX, "1.0", D1, "pass", "2024-02-01"),
      r(KFIX, "1.0", D2, "fail", "2024-02-02", { errorLine: "implicit declaration of function 'strlcpy'" }),
    ],
    [{ slug: LOOP, versions: [{ version: "0.12.5", releasedAt: "2023-11-01" }] }],
    [{ kernel: D2, releasedAt: "2024-01-30" }],
  );
  await ingest(
    [
      r(LOOP, "0.12.6", "6.8-rc1", "fail", "2024-02-19"),
      r(LOOP, "0.12.7", "6.8", "pass", "2024-04-02"),
      r(ZFS, "2.2.2+git20240325", "6.8.1", "pass", "2024-03-26"),
      r(ZFS, "2.2.3", "6.8.1", "pass", "2024-06-02"),
      r(KFIX, "1.0", D3, "pass", "2024-02-10"),
    ],
    [
      { slug: LOOP, versions: [{ version: "0.12.6", releasedAt: "2024-02-10" }, { version: "0.12.7", releasedAt: "2024-04-01" }] },
      { slug: ZFS, versions: [{ version: "2.2.3", releasedAt: "2024-06-01" }] },
    ],
    [{ kernel: D3, releasedAt: "2024-02-09" }],
  );
});

/** Prisma's read, as the pages made it before. */
async function prismaRows(where: Prisma.IncidentWhereInput, orderBy: Prisma.IncidentOrderByWithRelationInput[], page: { limit?: number; offset?: number } = {}) {
  return db().incident.findMany({ where, include: incidentInclude, orderBy, take: page.limit, skip: page.offset });
}
const PRISMA_ORDER: Record<IncidentOrder, Prisma.IncidentOrderByWithRelationInput[]> = {
  newest: [{ openedAt: "desc" }, { id: "desc" }],
  oldest: [{ openedAt: "asc" }, { id: "asc" }],
  module: [{ module: { slug: "asc" } }, { openedAt: "desc" }, { id: "desc" }],
  series: [{ seriesKey: "desc" }, { openedAt: "desc" }, { id: "desc" }],
  "open-longest": [{ status: "desc" }, { openedAt: "asc" }, { id: "asc" }],
  "fixed-newest": [{ fixedAt: "desc" }, { id: "desc" }],
};
/** A row with its versions in one order (Prisma's include gives no order). */
const sorted = (row: IncidentRow) => ({ ...row, versions: [...row.versions].sort((a, b) => (a.moduleVersion.version < b.moduleVersion.version ? -1 : 1)) });

describe("incidents through node-pg", () => {
  it("the scenario has what every relation reads: a fix by a released version, by a snapshot, by a kernel, and an open one", async () => {
    const rows = await loadIncidentRows({}, "oldest");
    const ours = rows.filter((x) => x.module.slug.endsWith(tag));
    expect(ours.some((x) => x.fixedInVersion?.releasedAt instanceof Date)).toBe(true);
    expect(ours.some((x) => x.fixedOnSnapshotVersion !== null)).toBe(true);
    expect(ours.some((x) => x.fixedInKernel !== null)).toBe(true);
    expect(ours.some((x) => x.status === "open" || x.signature !== null)).toBe(true);
    expect(ours.some((x) => x.firstBadKernel.releasedAt instanceof Date)).toBe(true);
  });

  it.each(Object.keys(INCIDENT_ORDER_SQL) as IncidentOrder[])("the same rows and summaries as Prisma's include, order %s, with and without filters and pages", async (order) => {
    const now = new Date("2026-11-30T00:00:00Z");
    const filters: [IncidentFilter, Prisma.IncidentWhereInput][] = [
      [{}, {}],
      [{ moduleSlug: LOOP }, { module: { slug: LOOP } }],
      [{ status: "fixed" }, { status: "fixed" }],
      [{ series: "6.8", status: "fixed" }, { series: "6.8", status: "fixed" }],
      [{ signature: "strlcpy" }, { signature: "strlcpy" }],
      [{ moduleSlug: `nothing-${tag}` }, { module: { slug: `nothing-${tag}` } }],
      [{ moduleSlug: "", status: "" }, {}], // an empty text filters nothing
      [{ fixed: true }, { fixedAt: { not: null } }],
      [{ moduleSlug: ZFS, fixed: true }, { module: { slug: ZFS }, fixedAt: { not: null } }],
    ];
    for (const [filter, where] of filters) {
      for (const page of [{}, { limit: 2 }, { limit: 2, offset: 1 }, { limit: 100, offset: 0 }]) {
        const [ours, theirs] = await Promise.all([loadIncidentRows(filter, order, page), prismaRows(where, PRISMA_ORDER[order], page)]);
        expect(ours.map(sorted), JSON.stringify({ filter, page })).toEqual(theirs.map(sorted));
        expect(ours.map((x) => toSummary(x, now))).toEqual(theirs.map((x) => toSummary(x, now)));
      }
    }
    const mod = await db().module.findUniqueOrThrow({ where: { slug: KFIX } });
    expect(await loadIncidentRows({ moduleId: mod.id }, order)).toEqual(await prismaRows({ moduleId: mod.id }, PRISMA_ORDER[order]));
    const [one] = await prismaRows({ module: { slug: LOOP } }, PRISMA_ORDER[order]);
    expect((await loadIncidentRows({ id: one.id }, order)).map(sorted)).toEqual([sorted(one)]);
  });

  it("the list's counts and options are Prisma's", async () => {
    for (const [filter, where] of [
      [{}, {}],
      [{ moduleSlug: ZFS }, { module: { slug: ZFS } }],
      [{ status: "open" }, { status: "open" }],
    ] as [IncidentFilter, Prisma.IncidentWhereInput][]) {
      const facts = await loadIncidentListFacts(filter);
      const [total, byStatus, modules, series, signatures] = await Promise.all([
        db().incident.count({ where }),
        db().incident.groupBy({ by: ["status"], where, _count: { _all: true } }),
        db().module.findMany({ where: { incidents: { some: {} } }, select: { slug: true }, orderBy: { slug: "asc" } }),
        db().incident.findMany({ distinct: ["series"], select: { series: true } }),
        db().incident.findMany({ where: { signature: { not: null } }, distinct: ["signature"], select: { signature: true }, orderBy: { signature: "asc" } }),
      ]);
      const count = (s: string) => byStatus.find((b) => b.status === s)?._count._all ?? 0;
      expect(facts).toEqual({
        total,
        open: count("open"),
        fixed: count("fixed"),
        modules: modules.map((m) => m.slug),
        series: expect.arrayContaining(series.map((s) => s.series)),
        signatures: signatures.map((s) => s.signature),
      });
      expect(facts.series).toHaveLength(series.length);
    }
  });
});
