import { beforeAll, describe, expect, inject, it } from "vitest";
import { GET } from "@/app/api/v1/export/kcidb/route";
import { POST } from "@/app/api/v1/import/kcidb/route";
import { db } from "@/lib/db/client";
import type { KcidbDocument } from "@/lib/kcidb/types";
import { kcidbIssues } from "@/lib/kcidb/validate";
import { importKcidb } from "@/lib/services/kcidb/import-kcidb";
import { expectError, GCC_STRLCPY_LOG, get, ingestBody, newToken, postResults, result, tableCounts, uniqueAbi, uniqueTag } from "./helpers";
import { emptyDatabase, namedMatrix } from "./second-db";

const tag = uniqueTag();
const abi = uniqueAbi();
const K61 = `6.1.0-${abi}-amd64`;
const K612 = `6.12.0-${abi}-amd64`;
let token: string;

async function importDoc(doc: unknown, query = ""): Promise<Response> {
  return POST(
    new Request(`http://localhost/api/v1/import/kcidb${query}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(doc),
    }),
    { params: Promise.resolve({}) },
  );
}

beforeAll(async () => {
  token = await newToken(`kcidb-${tag}`);
});

describe("KCIDB export → import round trip", () => {
  const mod = `rt-${tag}`;

  it("export is a valid KCIDB v5.3 document, and importing it into an empty database gives the same matrix", async () => {
    const t0 = Date.parse("2026-11-01T10:00:00Z");
    const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
    const res = await postResults(
      {
        ...ingestBody(`src-${tag}`, "r1", [
          result({ module: mod, moduleVersion: "0.12.7", kernel: K61, status: "pass", durationMs: 2100, finishedAt: at(1), compiler: "gcc 12.2.0" }),
          result({ module: mod, moduleVersion: "0.12.7", kernel: K612, status: "fail", log: GCC_STRLCPY_LOG, durationMs: 1234, finishedAt: at(2), logUrl: "https://ci.example/1/make.log" }),
          result({ module: mod, moduleVersion: "0.12.7", kernel: K61, arch: "aarch64", status: "error", finishedAt: at(3) }),
          result({ module: mod, moduleVersion: "0.12.7", kernel: K61, stage: "load", status: "pass", durationMs: 40, finishedAt: at(4) }),
          result({ module: mod, moduleVersion: "0.13.2", kernel: K612, status: "pass", durationMs: 3000, finishedAt: at(5) }),
          result({ module: mod, moduleVersion: "0.13.2", kernel: K61, status: "skip", errorLine: "BUILD_EXCLUSIVE_KERNEL does not match", finishedAt: at(6) }),
        ]),
        modules: [{ slug: mod, versions: [{ version: "0.13.2", releasedAt: "2026-10-01", declaredKernelMin: "6.1", declaredKernelMax: "6.12" }] }],
      },
      { token },
    );
    expect(res.status).toBe(201);
    // a later run: the newest result decides the 0.13.2 × 6.12 cell
    expect((await postResults(ingestBody(`src-${tag}`, "r2", [result({ module: mod, moduleVersion: "0.13.2", kernel: K612, status: "fail", log: GCC_STRLCPY_LOG, finishedAt: at(9) })]), { token })).status).toBe(201);

    const exported = await get(GET, `/api/v1/export/kcidb?module=${mod}`);
    expect(exported.status).toBe(200);
    const doc = (await exported.json()) as KcidbDocument;
    expect(kcidbIssues(doc)).toEqual([]);
    expect(doc.version).toEqual({ major: 5, minor: 3 });
    expect(doc.checkouts?.map((c) => c.id).sort()).toEqual([`modcompat:${mod}@0.12.7`, `modcompat:${mod}@0.13.2`]);
    expect(doc.builds?.filter((b) => b.status)).toHaveLength(6);
    expect(doc.tests).toHaveLength(1);
    expect(doc.tests![0]).toMatchObject({ path: "modcompat.load", status: "PASS" });

    const before = await namedMatrix(mod);
    expect(before.length).toBe(5);
    const second = await emptyDatabase(inject("databaseUrl"), `kcidb_rt_${tag}`);
    try {
      const after = await second.use(async () => {
        expect(await db().result.count()).toBe(0);
        const out = await importKcidb(doc);
        expect(out).toMatchObject({ replayed: false, stored: 7, unmapped: [] });
        // a replay of the same document stores nothing twice
        const again = await importKcidb(doc);
        expect(again).toMatchObject({ replayed: true, stored: 7 });
        expect(await db().result.count()).toBe(7);
        const run = await db().run.findFirstOrThrow();
        expect(run.source).toBe("kcidb-modcompat");
        expect((run.meta as { kcidb: { ids: string[] } }).kcidb.ids).toHaveLength(7);
        return namedMatrix(mod);
      });
      expect(after).toEqual(before);
    } finally {
      await second.drop();
    }
  });

  it("export: 404 for an unknown module, 422 without one", async () => {
    await expectError(await get(GET, `/api/v1/export/kcidb?module=nope-${tag}`), 404, "not_found");
    await expectError(await get(GET, `/api/v1/export/kcidb`), 422, "validation_failed");
  });
});

describe("POST /api/v1/import/kcidb", () => {
  const foreign = (mod: string, o = "labx"): KcidbDocument => ({
    version: { major: 5, minor: 3 },
    checkouts: [{ id: `${o}:co1`, origin: o, tree_name: mod, misc: { modcompat: { module: mod, version: "2.2.4" } } }],
    builds: [
      { id: `${o}:b1`, checkout_id: `${o}:co1`, origin: o, architecture: "x86_64", status: "PASS", start_time: "2026-11-02T08:00:00Z", duration: 61.5, misc: { modcompat: { kernel: K61 } } },
      { id: `${o}:b2`, checkout_id: `${o}:co1`, origin: o, architecture: "x86_64", status: "FAIL", log_excerpt: GCC_STRLCPY_LOG, misc: { modcompat: { kernel: K612 } } },
    ],
    tests: [{ id: `${o}:t1`, build_id: `${o}:b1`, origin: o, path: "selftest.basic", status: "PASS" }],
  });

  it("maps a foreign origin's document, keeps its origin and ids, and a replay stores nothing twice", async () => {
    const mod = `fo-${tag}`;
    const res = await importDoc(foreign(mod));
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ replayed: false, stored: 3, run: { source: "kcidb-labx" }, unmapped: [] });
    const cells = await namedMatrix(mod);
    expect(cells.map((c) => [c.kernel, c.status, c.errorLine])).toEqual([
      [K61, "pass", null],
      [K612, "fail", "implicit declaration of function 'strlcpy'"],
    ]);
    const stored = await db().result.findMany({ where: { run: { externalId: body.run.externalId } }, orderBy: { id: "asc" } });
    expect(stored.map((r) => [r.stage, r.durationMs, r.finishedAt.toISOString()])[0]).toEqual(["build", 61500, "2026-11-02T08:01:01.500Z"]);
    expect(stored.some((r) => r.stage === "test")).toBe(true);
    const before = await tableCounts();
    const replay = await importDoc(foreign(mod));
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ replayed: true, stored: 3 });
    expect(await tableCounts()).toEqual(before);
    // the same KCIDB ids with other content: a conflict, nothing stored
    const changed = foreign(mod);
    changed.builds![0].status = "FAIL";
    await expectError(await importDoc(changed), 409, "conflict");
    expect(await tableCounts()).toEqual(before);
  });

  it("a later document that repeats earlier entries stores only the new ones", async () => {
    const mod = `grow-${tag}`;
    const first = foreign(mod, "labg");
    expect((await importDoc(first)).status).toBe(201);
    const grown = foreign(mod, "labg");
    grown.tests!.push({ id: "labg:t2", build_id: "labg:b2", origin: "labg", path: "modcompat.load", status: "SKIP" });
    const res = await importDoc(grown);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ stored: 1, alreadyImported: 3, replayed: false });
    const again = await importDoc(grown);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ stored: 0, alreadyImported: 4, replayed: true });
    const results = await db().result.count({ where: { moduleVersion: { module: { slug: mod } } } });
    expect(results).toBe(4);
  });

  it("fills module, version and kernel from the query for documents that lack them", async () => {
    const mod = `q-${tag}`;
    const doc: KcidbDocument = {
      version: { major: 5 },
      checkouts: [{ id: "other:c", origin: "other" }],
      builds: [{ id: "other:b", checkout_id: "other:c", origin: "other", architecture: "aarch64", status: "SKIP" }],
    };
    const res = await importDoc(doc, `?module=${mod}&version=1.0&kernel=${K61}`);
    expect(res.status).toBe(201);
    expect((await namedMatrix(mod)).map((c) => [c.kernel, c.arch, c.status])).toEqual([[K61, "aarch64", "skip"]]);
  });

  it("refuses a document that is not KCIDB v5, naming the fields; nothing stored", async () => {
    const before = await tableCounts();
    const bad = { version: { major: 4 }, builds: [{ id: "no-colon", checkout_id: "x:1", origin: "X", status: "BROKEN" }] };
    const err = await expectError(await importDoc(bad), 422, "validation_failed");
    const paths = err.issues!.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["version.major", "builds[0].id", "builds[0].origin", "builds[0].status"]));
    expect(await tableCounts()).toEqual(before);
  });

  it("reports unmappable entries one by one and stores nothing, unless partial=1", async () => {
    const mod = `um-${tag}`;
    const doc = foreign(mod, "labu");
    doc.builds!.push(
      { id: "labu:b3", checkout_id: "labu:co1", origin: "labu", architecture: "x86_64", status: "DONE", misc: { modcompat: { kernel: K61 } } },
      { id: "labu:b4", checkout_id: "labu:co1", origin: "labu", status: "PASS" },
    );
    doc.tests!.push({ id: "labu:t9", build_id: "labu:missing", origin: "labu", status: "PASS" });
    const before = await tableCounts();
    const err = await expectError(await importDoc(doc), 422, "validation_failed");
    expect(err.issues).toEqual([
      { path: "builds[id=labu:b3]", message: "status DONE carries no pass/fail verdict" },
      { path: "builds[id=labu:b4]", message: expect.stringMatching(/^no kernel, arch/) },
      { path: "tests[id=labu:t9]", message: "its build labu:missing is not in this document" },
    ]);
    expect(await tableCounts()).toEqual(before);
    const res = await importDoc(doc, "?partial=1");
    const body = await res.json();
    expect(res.status).toBe(201);
    expect(body.stored).toBe(3);
    expect(body.unmapped.map((u: { id: string }) => u.id)).toEqual(["labu:b3", "labu:b4", "labu:t9"]);
  });

  it("needs a token", async () => {
    const res = await POST(new Request("http://localhost/api/v1/import/kcidb", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }), { params: Promise.resolve({}) });
    await expectError(res, 401, "unauthorized");
  });
});
