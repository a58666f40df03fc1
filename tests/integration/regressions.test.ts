import { beforeAll, describe, expect, it } from "vitest";
import { xml2js, type Element } from "xml-js";
import { GET as listRoute } from "@/app/api/v1/regressions/route";
import { GET as detailRoute } from "@/app/api/v1/regressions/[id]/route";
import { GET as globalFeedRoute } from "@/app/api/v1/regressions.atom/route";
import { GET as historyRoute } from "@/app/api/v1/modules/[slug]/history/route";
import { GET as moduleFeedRoute } from "@/app/api/v1/modules/[slug]/regressions.atom/route";
import { GET as signaturesRoute } from "@/app/api/v1/signatures/route";
import { GET as signatureRoute } from "@/app/api/v1/signatures/[...symbol]/route";
import { GET as watchRoute } from "@/app/api/v1/watch.atom/route";
import { GET as upcomingRoute } from "@/app/api/v1/upcoming/route";
import type { z } from "zod";
import {
  moduleHistoryResponseSchema,
  regressionListResponseSchema,
  regressionResponseSchema,
  signatureListResponseSchema,
  signatureResponseSchema,
  upcomingResponseSchema,
} from "@/lib/schemas/maintainers";
import type { UpcomingKernelReport } from "@/lib/services/upcoming/list-upcoming";
import { db } from "@/lib/db/client";
import type { IngestResult } from "@/lib/schemas/ingest";
import type { ModuleHistory } from "@/lib/services/history/get-module-history";
import type { RegressionDetail } from "@/lib/services/regressions/get-regression";
import type { RegressionList } from "@/lib/services/regressions/list-regressions";
import type { listSignatures, SignatureDetail } from "@/lib/services/regressions/list-signatures";
import { recomputeIncidents } from "@/lib/services/regressions/recompute-incidents";
import type { SignatureGroup } from "@/lib/domain/signature";
import { expectError, GCC_STRLCPY_LOG, get, newToken, postResults, uniqueAbi, uniqueTag } from "./helpers";

type Json<T> = T extends Date ? string : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

async function ok<T>(res: Response): Promise<Json<T>> {
  const json = (await res.json()) as Json<T>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

const tag = uniqueTag();
const source = `regressions-${tag}`;
const LOOP = `rg-loop-${tag}`; // breaks on an rc, fixed two releases later
const ZFS = `rg-zfs-${tag}`; // fixed on master, released later; declares a kernel range
const FLAKY = `rg-flaky-${tag}`;
const abi = uniqueAbi();
const U40 = `6.8.0-${abi}-generic`;
const U45 = `6.8.0-${abi + 5}-generic`;
const SCRIPT_ERROR = `implicit declaration of function 'evil'; <script>alert("x")</script> ]]> & more`;

const at = (d: string) => `${d}T12:00:00Z`;
function r(module: string, moduleVersion: string, kernel: string, status: IngestResult["status"], on: string, extra: Partial<IngestResult> = {}): IngestResult {
  return { module, moduleVersion, kernel, arch: "x86_64", stage: "build", status, finishedAt: at(on), ...extra };
}

let token: string;
let runNo = 0;
async function ingest(results: IngestResult[], modules?: unknown[]) {
  const res = await postResults({ run: { source, id: `run-${++runNo}` }, ...(modules ? { modules } : {}), results }, { token });
  expect(res.status, await res.clone().text()).toBe(201);
}

async function incidentsOf(slug: string) {
  return ok<RegressionList>(await get(listRoute, `/api/v1/regressions?module=${slug}`));
}

/** Everything stored about a module's incidents, minus bookkeeping columns. */
async function snapshot(slugs: string[]) {
  const rows = await db().incident.findMany({
    where: { module: { slug: { in: slugs } } },
    include: { versions: { select: { moduleVersionId: true }, orderBy: { moduleVersionId: "asc" } } },
    orderBy: [{ moduleId: "asc" }, { key: "asc" }],
  });
  return rows.map((row) => {
    const { id, createdAt, updatedAt, ...rest } = row;
    void [id, createdAt, updatedAt];
    return rest;
  });
}

beforeAll(async () => {
  token = await newToken(tag);
  // Incremental: several runs, each recomputing only the modules it touches.
  await ingest(
    [
      r(LOOP, "0.12.5", "6.7", "pass", "2024-01-08"),
      r(LOOP, "0.12.5", "6.8-rc1", "fail", "2024-01-22", { log: GCC_STRLCPY_LOG, logUrl: "https://ci.example.org/logs/1" }),
      r(FLAKY, "1.0", "6.7", "pass", "2024-01-22"),
      r(FLAKY, "1.0", "6.8", "pass", "2024-01-22"),
    ],
    [{ slug: LOOP, versions: [{ version: "0.12.5", releasedAt: "2023-11-01" }] }],
  );
  await ingest([
    r(LOOP, "0.12.5", "6.8-rc5", "fail", "2024-02-19"),
    r(LOOP, "0.12.6", "6.7", "pass", "2024-02-19"),
    r(LOOP, "0.12.6", "6.8-rc5", "fail", "2024-02-19"),
    r(FLAKY, "1.0", "6.8", "fail", "2024-02-19", { errorLine: "modpost: 'foo' undefined!" }),
    r(ZFS, "2.2.2", "6.7.12", "pass", "2024-01-10"),
    r(ZFS, "2.2.2", "6.8.1", "fail", "2024-03-20", { errorLine: "'struct block_device' has no member named 'bd_inode'" }),
    r(ZFS, "2.2.2", U40, "pass", "2024-03-20"),
    r(ZFS, "2.2.2", U45, "fail", "2024-03-21", { errorLine: SCRIPT_ERROR }),
  ]);
  await ingest(
    [
      r(LOOP, "0.12.5", "6.8", "fail", "2024-03-11"),
      r(LOOP, "0.12.6", "6.8", "fail", "2024-03-11"),
      r(LOOP, "0.12.7", "6.8", "pass", "2024-04-02"),
      r(LOOP, "0.12.7", "6.9", "pass", "2024-05-13"),
      r(FLAKY, "1.0", "6.8", "pass", "2024-03-11"),
      r(ZFS, "2.2.2+git20240325", "6.8.1", "pass", "2024-03-26"),
    ],
    [{ slug: LOOP, versions: [{ version: "0.12.6", releasedAt: "2024-02-10" }, { version: "0.12.7", releasedAt: "2024-04-01" }] }],
  );
  await ingest(
    [r(ZFS, "2.2.3", "6.8.1", "pass", "2024-06-02"), r(ZFS, "2.2.3", U45, "fail", "2024-06-02", { errorLine: SCRIPT_ERROR })],
    [
      {
        slug: ZFS,
        versions: [
          { version: "2.2.2", releasedAt: "2023-12-01", declaredKernelMin: "4.18", declaredKernelMax: "6.7" },
          { version: "2.2.3", releasedAt: "2024-06-01", declaredKernelMin: "4.18", declaredKernelMax: "6.9" },
        ],
      },
    ],
  );
});

describe("detection through ingest", () => {
  it("finds the rc regression and its fix two releases later", async () => {
    const list = await incidentsOf(LOOP);
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({
      module: { slug: LOOP },
      line: "mainline/",
      lastGoodKernel: "6.7",
      firstBadKernel: "6.8-rc1",
      series: "6.8",
      affectedVersions: ["0.12.5", "0.12.6"],
      status: "fixed",
      fixedIn: "0.12.7",
      fixedAt: "2024-04-01T00:00:00.000Z",
      fixedAtBasis: "release-date",
      openedAt: "2024-01-22T12:00:00.000Z",
      errorLine: "implicit declaration of function 'strlcpy'",
      signature: { symbol: "strlcpy", kind: "function" },
    });
    expect(list.items[0].timeToFixDays).toBeCloseTo(69.5, 5);
  });

  it("keeps a Debian/Ubuntu-only break on its own line and ignores flaky cells", async () => {
    const zfs = await incidentsOf(ZFS);
    expect(zfs.items.map((i) => [i.line, i.firstBadKernel, i.status, i.fixedIn, i.fixedOnSnapshot?.version ?? null]).sort()).toEqual([
      ["mainline/", "6.8.1", "fixed", "2.2.3", "2.2.2+git20240325"],
      ["ubuntu/generic", U45, "open", null, null],
    ]);
    expect(zfs.items.find((i) => i.status === "open")?.affectedVersions).toEqual(["2.2.2", "2.2.3"]);
    expect((await incidentsOf(FLAKY)).total).toBe(0);
  });

  it("filters by status, series and signature, and refuses bad filters", async () => {
    const open = await ok<RegressionList>(await get(listRoute, `/api/v1/regressions?module=${ZFS}&status=open`));
    expect(open.items.map((i) => i.firstBadKernel)).toEqual([U45]);
    expect(open.counts).toEqual({ open: 1, fixed: 0 });
    const bySig = await ok<RegressionList>(await get(listRoute, `/api/v1/regressions?signature=${encodeURIComponent("struct block_device::bd_inode")}&module=${ZFS}`));
    expect(bySig.items).toHaveLength(1);
    const bySeries = await ok<RegressionList>(await get(listRoute, `/api/v1/regressions?series=6.8&module=${LOOP}`));
    expect(bySeries.total).toBe(1);
    expect((await ok<RegressionList>(await get(listRoute, `/api/v1/regressions?series=6.9&module=${LOOP}`))).total).toBe(0);
    await expectError(await get(listRoute, "/api/v1/regressions?status=broken"), 422, "validation_failed");
    await expectError(await get(listRoute, "/api/v1/regressions?series=six"), 422, "validation_failed");
  });

  it("incremental updates on ingest and a full recomputation agree", async () => {
    const slugs = [LOOP, ZFS, FLAKY];
    const incremental = await snapshot(slugs);
    expect(incremental.length).toBe(3);
    // the same ids survive a full recompute (rows are matched by key)
    const idsBefore = (await db().incident.findMany({ where: { module: { slug: { in: slugs } } }, select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
    await recomputeIncidents();
    expect(await snapshot(slugs)).toEqual(incremental);
    const idsAfter = (await db().incident.findMany({ where: { module: { slug: { in: slugs } } }, select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
    expect(idsAfter).toEqual(idsBefore);
    // and from nothing
    await db().incident.deleteMany({ where: { module: { slug: { in: slugs } } } });
    await recomputeIncidents();
    expect(await snapshot(slugs)).toEqual(incremental);
  });

  it("moves an incident when an earlier bad kernel turns up later, keeping its id and links", async () => {
    const slug = `rg-move-${tag}`;
    await ingest([r(slug, "1.0", "6.7", "pass", "2024-01-01"), r(slug, "1.0", "6.8", "fail", "2024-03-11")]);
    const before = (await incidentsOf(slug)).items;
    expect(before.map((i) => i.firstBadKernel)).toEqual(["6.8"]);
    await ingest([r(slug, "1.0", "6.8-rc2", "fail", "2024-01-29")]);
    const after = await incidentsOf(slug);
    expect(after.items.map((i) => [i.firstBadKernel, i.openedAt])).toEqual([["6.8-rc2", "2024-01-29T12:00:00.000Z"]]);
    expect(await db().incident.count({ where: { module: { slug } } })).toBe(1);
    // The same break, narrowed: the link a maintainer (or a feed reader) holds still leads to it.
    expect(after.items[0].id).toBe(before[0].id);
    const detail = await ok<RegressionDetail>(await get(detailRoute, `/api/v1/regressions/${before[0].id}`, { id: String(before[0].id) }));
    expect(detail.incident.firstBadKernel).toBe("6.8-rc2");
    // A full recomputation detects it under the new key and keeps the row too.
    await recomputeIncidents();
    expect((await incidentsOf(slug)).items.map((i) => i.id)).toEqual([before[0].id]);
  });
});

describe("GET /api/v1/regressions/{id}", () => {
  it("shows the evidence: deciding results with logs, and the neighbouring kernels", async () => {
    const [item] = (await incidentsOf(LOOP)).items;
    const d = await ok<RegressionDetail>(await get(detailRoute, `/api/v1/regressions/${item.id}`, { id: String(item.id) }));
    expect(d.incident.id).toBe(item.id);
    const opened = d.evidence.find((e) => e.role === "opened")!;
    expect(opened).toMatchObject({ version: "0.12.5", kernel: "6.8-rc1", status: "fail", logUrl: "https://ci.example.org/logs/1" });
    expect(opened.logExcerpt).toContain("strlcpy");
    expect(d.evidence.find((e) => e.role === "fixed")).toMatchObject({ version: "0.12.7", kernel: "6.8", status: "pass" });
    expect(d.neighbourhood.kernels).toEqual(["6.7", "6.8-rc1", "6.8-rc5", "6.8"]);
    expect(d.neighbourhood.rows.map((row) => [row.version, row.role, row.cells.map((c) => c.state)])).toEqual([
      ["0.12.5", "affected", ["pass", "fail", "fail", "fail"]],
      ["0.12.6", "affected", ["pass", null, "fail", "fail"]],
      ["0.12.7", "fix", [null, null, null, "pass"]],
    ]);
  });
  it("answers 404 and 422", async () => {
    await expectError(await get(detailRoute, "/api/v1/regressions/2147483000", { id: "2147483000" }), 404, "not_found");
    await expectError(await get(detailRoute, "/api/v1/regressions/abc", { id: "abc" }), 422, "validation_failed");
  });
});

describe("GET /api/v1/modules/{slug}/history", () => {
  it("returns the timeline, time to fix, support lag and declared-vs-observed", async () => {
    const h = await ok<ModuleHistory>(await get(historyRoute, `/api/v1/modules/${ZFS}/history`, { slug: ZFS }));
    expect(h.timeline).toHaveLength(2);
    expect(h.timeline[0]).toMatchObject({ status: "fixed", start: Date.parse("2024-03-20T12:00:00Z"), end: Date.parse("2024-06-01T00:00:00Z") });
    expect(h.timeline[1].status).toBe("open");
    expect(h.timeToFix.open).toBe(1);
    expect(h.timeToFix.buckets.find((b) => b.count > 0)).toEqual({ label: "1–3 months", count: 1 });
    const lag68 = h.supportLag.find((row) => row.series === "6.8")!;
    expect(lag68.kernelReleasedAt).toBe("2024-03-10T00:00:00.000Z");
    expect(lag68.firstPassing).toMatchObject({ version: "2.2.2", uncertain: false });
    // 2.2.2 passes on an Ubuntu 6.8 kernel, released long before 6.8: ready before the kernel
    expect(lag68.firstPassing?.readyBeforeKernel).toBe(true);
    expect(lag68.firstDeclaring).toMatchObject({ version: "2.2.3", lagDays: 83 });
    expect(h.declared.declaredVersions).toBe(2);
    expect(h.declared.mismatches.map((m) => [m.version, m.kernel, m.kind])).toEqual([
      ["2.2.3", U45, "declared-but-fails"],
      ["2.2.2", U40, "undeclared-but-passes"],
    ]);
    expect(h.data.versionsWithReleaseDate).toBe(2);
  });
  it("lists flaky cells and says what is unknown", async () => {
    const h = await ok<ModuleHistory>(await get(historyRoute, `/api/v1/modules/${FLAKY}/history`, { slug: FLAKY }));
    expect(h.flaky.map((f) => [f.version, f.kernel, f.passes, f.fails])).toEqual([["1.0", "6.8", 2, 1]]);
    expect(h.caveats.join(" ")).toMatch(/No release dates are known/);
    expect(h.passRate.points.map((p) => p.rate)).toEqual([1, 0, 1]);
  });
  it("404s for an unknown module", async () => {
    await expectError(await get(historyRoute, "/api/v1/modules/nope/history", { slug: `nope-${tag}` }), 404, "not_found");
  });
});

describe("signatures", () => {
  it("groups incidents across modules by kernel symbol", async () => {
    const { signatures } = await ok<{ signatures: SignatureGroup[] }>(await get(signaturesRoute, "/api/v1/signatures"));
    const bd = signatures.find((s) => s.symbol === "struct block_device::bd_inode")!;
    expect(bd.kind).toBe("member");
    expect(bd.modules.find((m) => m.module === ZFS)).toMatchObject({ status: "fixed", fixedIn: ["2.2.3"] });
    const d = await ok<SignatureDetail>(await get(signatureRoute, "/api/v1/signatures/strlcpy", { symbol: ["strlcpy"] } as never));
    expect(d.signature.modules.map((m) => m.module)).toContain(LOOP);
    expect(d.incidents.some((i) => i.module.slug === LOOP)).toBe(true);
    await expectError(await get(signatureRoute, "/api/v1/signatures/asm/nothing.h", { symbol: ["asm", "nothing.h"] } as never), 404, "not_found");
  });
});

function parseAtom(xml: string): Element {
  const doc = xml2js(xml, { compact: false }) as Element;
  const feed = doc.elements!.find((e) => e.name === "feed")!;
  expect(feed.attributes?.xmlns).toBe("http://www.w3.org/2005/Atom");
  return feed;
}
const children = (e: Element, name: string) => (e.elements ?? []).filter((c) => c.name === name);
const text = (e: Element) => (e.elements ?? []).map((c) => c.text ?? c.cdata ?? "").join("");

describe("Atom feeds", () => {
  it("per module: valid Atom with opened and fixed entries, content escaped", async () => {
    const res = await get(moduleFeedRoute, `/api/v1/modules/${ZFS}/regressions.atom`, { slug: ZFS });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    const xml = await res.text();
    expect(xml).not.toContain("<script>");
    const feed = parseAtom(xml);
    for (const el of ["id", "title", "updated"]) expect(children(feed, el)).toHaveLength(1);
    const entries = children(feed, "entry");
    expect(entries).toHaveLength(3); // two opened, one fixed
    for (const e of entries) for (const el of ["id", "title", "updated", "link"]) expect(children(e, el).length).toBeGreaterThan(0);
    const titles = entries.map((e) => text(children(e, "title")[0]));
    expect(titles.some((t) => /fixed in 2\.2\.3/.test(t))).toBe(true);
    // The hostile error line arrives HTML-escaped inside the html content, so a reader shows it as text.
    const contents = entries.map((e) => text(children(e, "content")[0])).join("\n");
    expect(contents).toContain("&lt;script&gt;alert(");
    expect(contents).toContain(")&lt;/script&gt; ]]&gt; &amp; more");
    const ids = entries.map((e) => text(children(e, "id")[0]));
    expect(new Set(ids).size).toBe(ids.length);
    // newest first
    const dates = entries.map((e) => Date.parse(text(children(e, "updated")[0])));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
  });
  it("globally: includes this file's incidents, or is full of newer events", async () => {
    const res = await get(globalFeedRoute, "/api/v1/regressions.atom?limit=200");
    const feed = parseAtom(await res.text());
    const entries = children(feed, "entry");
    const fix = await db().incident.findFirstOrThrow({ where: { module: { slug: LOOP }, fixedAt: { not: null } }, orderBy: { fixedAt: "desc" } });
    if (!entries.some((e) => text(children(e, "title")[0]).startsWith(`${LOOP} fixed in 0.12.7`))) {
      // The test database is shared: other files' incidents may be newer. Then only they fill the feed.
      expect(entries).toHaveLength(200);
      expect(Math.min(...entries.map((e) => Date.parse(text(children(e, "updated")[0]))))).toBeGreaterThanOrEqual(fix.fixedAt!.getTime());
    }
  });
  it("watched cell: tells when zfs 2.2 × 6.8 turns green", async () => {
    const res = await get(watchRoute, `/api/v1/watch.atom?module=${ZFS}&version=2.2&kernel=6.8`);
    expect(res.status).toBe(200);
    const entries = children(parseAtom(await res.text()), "entry").map((e) => text(children(e, "title")[0]));
    expect(entries).toContain(`✓ ${ZFS} 2.2.3 passes on 6.8.1 (x86_64)`);
    expect(entries).toContain(`✗ ${ZFS} 2.2.2 fails on 6.8.1 (x86_64)`);
    expect(entries).toContain(`✓ ${ZFS} 2.2.2 passes on ${U40} (x86_64)`);
    // exactly one version, exact kernel
    const one = await get(watchRoute, `/api/v1/watch.atom?module=${ZFS}&version=2.2.3&kernel=${U45}`);
    expect(children(parseAtom(await one.text()), "entry").map((e) => text(children(e, "title")[0]))).toEqual([`✗ ${ZFS} 2.2.3 fails on ${U45} (x86_64)`]);
    // nothing yet is an empty feed; an unknown module is a 404
    expect(children(parseAtom(await (await get(watchRoute, `/api/v1/watch.atom?module=${ZFS}&kernel=7.0`)).text()), "entry")).toHaveLength(0);
    await expectError(await get(watchRoute, `/api/v1/watch.atom?module=nope-${tag}&kernel=6.8`), 404, "not_found");
    await expectError(await get(watchRoute, `/api/v1/watch.atom?module=${ZFS}`), 422, "validation_failed");
  });
  it("a flaky cell changing back and forth shows every change in its watch feed", async () => {
    const res = await get(watchRoute, `/api/v1/watch.atom?module=${FLAKY}&kernel=6.8`);
    const titles = children(parseAtom(await res.text()), "entry").map((e) => text(children(e, "title")[0]));
    expect(titles).toEqual([`✓ ${FLAKY} 1.0 passes on 6.8 (x86_64), failed before`, `✗ ${FLAKY} 1.0 fails on 6.8 (x86_64), passed before`, `✓ ${FLAKY} 1.0 passes on 6.8 (x86_64)`]);
  });
});

// Compile time: what each service returns, serialised to JSON, is what its published schema accepts.
// (tsc checks these lines: a field a service drops or retypes fails here; one it adds fails the strict parse below.)
type Accepts<S extends z.ZodType, T extends z.input<S>> = T;
export type ServiceOutputsMatchSchemas = [
  Accepts<typeof regressionListResponseSchema, Json<RegressionList>>,
  Accepts<typeof regressionResponseSchema, Json<RegressionDetail>>,
  Accepts<typeof signatureListResponseSchema, Json<Awaited<ReturnType<typeof listSignatures>>>>,
  Accepts<typeof signatureResponseSchema, Json<SignatureDetail>>,
  Accepts<typeof moduleHistoryResponseSchema, Json<ModuleHistory>>,
  Accepts<typeof upcomingResponseSchema, Json<{ kernels: UpcomingKernelReport[] }>>,
];

describe("published response schemas (lib/schemas/maintainers.ts), strict", () => {
  it("every maintainers' endpoint answers exactly its documented shape", async () => {
    const [open] = (await incidentsOf(ZFS)).items;
    const cases: [string, Response, z.ZodType][] = [
      ["regressions", await get(listRoute, `/api/v1/regressions?module=${LOOP}`), regressionListResponseSchema],
      ["regression", await get(detailRoute, `/api/v1/regressions/${open.id}`, { id: String(open.id) }), regressionResponseSchema],
      ["signatures", await get(signaturesRoute, "/api/v1/signatures"), signatureListResponseSchema],
      ["signature", await get(signatureRoute, "/api/v1/signatures/strlcpy", { symbol: ["strlcpy"] } as never), signatureResponseSchema],
      ["history", await get(historyRoute, `/api/v1/modules/${ZFS}/history`, { slug: ZFS }), moduleHistoryResponseSchema],
      ["flaky history", await get(historyRoute, `/api/v1/modules/${FLAKY}/history`, { slug: FLAKY }), moduleHistoryResponseSchema],
      ["upcoming", await get(upcomingRoute, "/api/v1/upcoming"), upcomingResponseSchema],
    ];
    for (const [name, res, schema] of cases) {
      expect(res.status, name).toBe(200);
      const parsed = schema.safeParse(await res.json());
      expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues.slice(0, 3))}`).toBe(true);
    }
  });
  it("the strict schemas reject a field they do not document", () => {
    expect(signatureListResponseSchema.safeParse({ signatures: [], unclassified: 0 }).success).toBe(true);
    expect(signatureListResponseSchema.safeParse({ signatures: [], unclassified: 0, extra: 1 }).success).toBe(false);
  });
});
