import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { foldCell, type Stage, type Status } from "@/lib/domain/status";
import { ingestResponseSchema, MAX_BODY_BYTES, type IngestBody, type IngestResponse } from "@/lib/schemas/ingest";
import { recordResults } from "@/lib/services/record-results";
import { createToken, revokeToken } from "@/lib/services/tokens";
import {
  expectError,
  GCC_STRLCPY_LOG,
  ingestBody,
  newToken,
  postResults,
  result,
  tableCounts,
  uniqueAbi,
  uniqueTag,
} from "./helpers";

const tag = uniqueTag();
const source = `ingest-${tag}`;
let runSeq = 0;
const runId = () => `run-${++runSeq}`;
// Kernel strings only this file uses, one per series it needs.
const abi = uniqueAbi();
const K_61 = `6.1.0-${abi}-amd64`;
const K_612 = `6.12.0-${abi}-amd64`;
const K_68 = `6.8.0-${abi}-generic`;

let token: string;
beforeAll(async () => {
  token = await newToken(`ingest-${tag}`);
});

/** A fresh module slug per test, so tests of this file do not see each other's cells. */
let modSeq = 0;
const newModule = () => `m${++modSeq}-${tag}`;

async function ingest(body: IngestBody): Promise<IngestResponse> {
  const res = await postResults(body, { token });
  const json: unknown = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(201);
  return ingestResponseSchema.parse(json);
}

describe("POST /api/v1/results: happy path", () => {
  it("answers 201 with counts, creates modules, versions and kernels, writes cells and extracts the error line", async () => {
    const mod = newModule();
    const other = newModule();
    const before = await tableCounts();
    const body: IngestBody = {
      run: {
        source,
        id: runId(),
        url: "https://ci.example.org/runs/1",
        finishedAt: "2025-01-07T10:00:00Z",
        environment: { arch: "x86_64", compiler: "gcc (Debian 12.2.0-14) 12.2.0", distro: "debian-12", host: "builder-1" },
        meta: { dkms: "3.0.10" },
      },
      modules: [{ slug: mod, name: "Loopback test module", homepage: "https://example.org/lb", versions: [{ version: "0.12.7", declaredKernelMin: "2.6.32" }] }],
      results: [
        result({ module: mod, moduleVersion: "0.12.7", kernel: K_61, durationMs: 2100 }),
        result({ module: mod, moduleVersion: "0.12.7", kernel: K_612, status: "fail", log: GCC_STRLCPY_LOG, logUrl: "https://ci.example.org/logs/2.txt" }),
        result({ module: mod, moduleVersion: "0.13.2", kernel: K_612 }),
        result({ module: mod, moduleVersion: "0.13.2", kernel: K_612, stage: "load" }),
        result({ module: other, kernel: K_68, arch: "aarch64", status: "skip", errorLine: "BUILD_EXCLUSIVE_ARCH excludes aarch64" }),
      ],
    };
    const out = await ingest(body);
    expect(out).toMatchObject({
      replayed: false,
      stored: 5,
      created: { modules: 2, moduleVersions: 3, kernels: 3 },
      cellsUpdated: 4,
      run: { source, externalId: body.run.id },
    });
    expect(await tableCounts()).toEqual({
      run: before.run + 1,
      result: before.result + 5,
      module: before.module + 2,
      moduleVersion: before.moduleVersion + 3,
      kernel: before.kernel + 3,
      cell: before.cell + 4,
    });

    const m = await db().module.findUniqueOrThrow({ where: { slug: mod }, include: { versions: { orderBy: { version: "asc" } } } });
    expect(m).toMatchObject({ name: "Loopback test module", homepage: "https://example.org/lb" });
    expect(m.versions.map((v) => [v.version, v.declaredKernelMin])).toEqual([["0.12.7", "2.6.32"], ["0.13.2", null]]);
    expect(await db().module.findUniqueOrThrow({ where: { slug: other } })).toMatchObject({ name: other });

    const k = await db().kernel.findUniqueOrThrow({ where: { version: K_612 } });
    expect(k).toMatchObject({ series: "6.12", distro: "debian", distroRelease: String(abi), flavour: "amd64", major: 6, minor: 12 });
    expect((await db().kernel.findUniqueOrThrow({ where: { version: K_68 } })).distro).toBe("ubuntu");

    const run = await db().run.findUniqueOrThrow({ where: { id: out.run.id }, include: { results: { orderBy: { id: "asc" } } } });
    expect(run).toMatchObject({ arch: "x86_64", host: "builder-1", resultCount: 5, meta: { dkms: "3.0.10" } });
    const failed = run.results[1];
    expect(failed).toMatchObject({ status: "fail", errorLine: "implicit declaration of function 'strlcpy'", logTruncated: false, logUrl: "https://ci.example.org/logs/2.txt" });
    expect(failed.logExcerpt).toBe(GCC_STRLCPY_LOG);
    // Results without their own time or compiler take the run's.
    expect(failed.finishedAt.toISOString()).toBe("2025-01-07T10:00:00.000Z");
    expect(failed.compiler).toBe("gcc (Debian 12.2.0-14) 12.2.0");
    expect(run.results[4].errorLine).toBe("BUILD_EXCLUSIVE_ARCH excludes aarch64");

    const cells = await db().cell.findMany({
      where: { moduleId: m.id },
      include: { kernel: { select: { version: true } }, moduleVersion: { select: { version: true } } },
    });
    const byKey = Object.fromEntries(cells.map((c) => [`${c.moduleVersion.version}@${c.kernel.version}/${c.arch}`, c]));
    expect(Object.keys(byKey).sort()).toEqual([`0.12.7@${K_612}/x86_64`, `0.12.7@${K_61}/x86_64`, `0.13.2@${K_612}/x86_64`].sort());
    expect(byKey[`0.12.7@${K_61}/x86_64`]).toMatchObject({ status: "pass", stages: { build: "pass" }, passCount: 1, errorLine: null });
    expect(byKey[`0.12.7@${K_612}/x86_64`]).toMatchObject({
      status: "fail",
      stages: { build: "fail" },
      failCount: 1,
      errorLine: "implicit declaration of function 'strlcpy'",
      logUrl: "https://ci.example.org/logs/2.txt",
    });
    expect(byKey[`0.13.2@${K_612}/x86_64`]).toMatchObject({ status: "pass", stages: { build: "pass", load: "pass" }, passCount: 2 });
  });

  it("stores no error line for a pass, even when the reporter sent one", async () => {
    const mod = newModule();
    await ingest(ingestBody(source, runId(), [result({ module: mod, kernel: K_61, log: GCC_STRLCPY_LOG, errorLine: "stale" })]));
    const r = await db().result.findFirstOrThrow({ where: { moduleVersion: { module: { slug: mod } } } });
    expect(r.errorLine).toBeNull();
  });

  it("keeps a 16 KiB excerpt of a large log, marked as truncated, with the first error inside", async () => {
    const mod = newModule();
    const filler = Array.from({ length: 30_000 }, (_, i) => `  CC [M]  /var/lib/dkms/${mod}/1.0.0/build/file${i}.o`).join("\n");
    const log = `${filler}\n${GCC_STRLCPY_LOG}\n${filler}`;
    await ingest(ingestBody(source, runId(), [result({ module: mod, kernel: K_612, status: "fail", log })]));
    const r = await db().result.findFirstOrThrow({ where: { moduleVersion: { module: { slug: mod } } } });
    expect(r.logTruncated).toBe(true);
    expect(Buffer.byteLength(r.logExcerpt!)).toBeLessThanOrEqual(16 * 1024);
    expect(r.logExcerpt).toContain("error: implicit declaration of function ‘strlcpy’");
    expect(r.errorLine).toBe("implicit declaration of function 'strlcpy'");
  });

  it("accepts a log that contains NUL bytes (stored without them)", async () => {
    const mod = newModule();
    const log = `binary\u0000garbage\n${GCC_STRLCPY_LOG.replace("error:", "error:\u0000")}`;
    await ingest(ingestBody(source, runId(), [result({ module: mod, kernel: K_612, status: "fail", log })]));
    const r = await db().result.findFirstOrThrow({ where: { moduleVersion: { module: { slug: mod } } } });
    expect(r.logExcerpt).toBe(log.replaceAll("\u0000", ""));
    expect(r.errorLine).toBe("implicit declaration of function 'strlcpy'");
  });

  it("counts only what is new: a second run over known modules, versions and kernels creates none", async () => {
    const mod = newModule();
    await ingest(ingestBody(source, runId(), [result({ module: mod, kernel: K_61 })]));
    const out = await ingest(ingestBody(source, runId(), [result({ module: mod, kernel: K_61, stage: "load" }), result({ module: mod, moduleVersion: "1.1.0", kernel: K_61 })]));
    expect(out).toMatchObject({ stored: 2, created: { modules: 0, moduleVersions: 1, kernels: 0 }, cellsUpdated: 2 });
  });
});

describe("POST /api/v1/results: errors store nothing", () => {
  const validBody = () => ingestBody(source, runId(), [result({ module: newModule(), kernel: `6.1.0-${uniqueAbi()}-amd64` })]);

  async function expectNothingStored(send: () => Promise<Response>, status: number, code: string) {
    const before = await tableCounts();
    const error = await expectError(await send(), status, code);
    expect(await tableCounts()).toEqual(before);
    return error;
  }

  it("400 for malformed JSON", async () => {
    const e = await expectNothingStored(() => postResults(null, { token, raw: '{"run": {"source": "x",' }), 400, "invalid_json");
    expect(e.message).toMatch(/malformed JSON/);
  });

  it("400 for an empty body", async () => {
    await expectNothingStored(() => postResults(null, { token, raw: "" }), 400, "invalid_json");
  });

  it("401 without an Authorization header", async () => {
    const e = await expectNothingStored(() => postResults(validBody(), { token: null }), 401, "unauthorized");
    expect(e.message).toMatch(/Bearer/);
  });

  it("401 for an unknown token and for another scheme", async () => {
    await expectNothingStored(() => postResults(validBody(), { token: "mc_not-a-real-token" }), 401, "unauthorized");
    await expectNothingStored(() => postResults(validBody(), { token: null, headers: { authorization: `Basic ${token}` } }), 401, "unauthorized");
  });

  it("403 for a revoked token, naming it", async () => {
    const name = `revoked-${tag}`;
    const t = await createToken(name);
    expect((await revokeToken(name)).alreadyRevoked).toBe(false);
    const e = await expectNothingStored(() => postResults(validBody(), { token: t.token }), 403, "forbidden");
    expect(e.message).toContain(name);
  });

  it("413 when Content-Length announces more than 10 MiB", async () => {
    await expectNothingStored(
      () => postResults(null, { token, raw: "{}", headers: { "content-length": String(MAX_BODY_BYTES + 1) } }),
      413,
      "payload_too_large",
    );
  });

  it("413 when the body itself is larger than 10 MiB (no Content-Length)", async () => {
    const body = validBody();
    body.results[0].log = "x".repeat(MAX_BODY_BYTES);
    const e = await expectNothingStored(() => postResults(body, { token }), 413, "payload_too_large");
    expect(e.message).toContain(String(MAX_BODY_BYTES));
  });

  it("413 for a streamed body that passes 10 MiB", async () => {
    const chunk = new TextEncoder().encode(" ".repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Never-ending: the handler must stop reading at the limit instead of buffering everything.
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    await expectNothingStored(() => postResults(null, { token, raw: stream }), 413, "payload_too_large");
    expect(sent).toBeLessThan(20);
  });

  it("415 for a content type other than JSON", async () => {
    const e = await expectNothingStored(() => postResults(validBody(), { token, contentType: "text/plain" }), 415, "unsupported_media_type");
    expect(e.message).toContain("text/plain");
    await expectNothingStored(() => postResults(validBody(), { token, contentType: null }), 415, "unsupported_media_type");
  });

  it("accepts application/json with a charset", async () => {
    const res = await postResults(validBody(), { token, contentType: "application/json; charset=utf-8" });
    expect(res.status).toBe(201);
  });

  it("422 for a body that breaks the schema, with the path of every bad field", async () => {
    const body = validBody();
    const bad = { ...body, results: [...body.results, { ...body.results[0], kernel: "six dot one" }, { ...body.results[0], status: "broken" }] };
    const e = await expectNothingStored(() => postResults(bad, { token }), 422, "validation_failed");
    expect(e.message).toMatch(/nothing was stored/);
    expect(e.issues!.map((i) => i.path).sort()).toEqual(["results[1].kernel", "results[2].status"]);
    expect(e.issues!.find((i) => i.path === "results[1].kernel")!.message).toContain('"six dot one"');
  });

  it("422 for JSON that is not an object", async () => {
    const e = await expectNothingStored(() => postResults(null, { token, raw: "[1, 2]" }), 422, "validation_failed");
    expect(e.issues![0].path).toBe("(body)");
  });

  it("409 for a replay of the same source + run id with different content", async () => {
    const body = validBody();
    const first = await postResults(body, { token });
    expect(first.status).toBe(201);
    const changed: IngestBody = { ...body, results: [{ ...body.results[0], status: "fail" }] };
    const e = await expectNothingStored(() => postResults(changed, { token }), 409, "conflict");
    expect(e.message).toContain(body.run.id);
    expect(e.message).toContain(source);
  });

  it("checks the token before reading the body", async () => {
    await expectNothingStored(() => postResults(null, { token: null, raw: "{", contentType: "text/plain" }), 401, "unauthorized");
  });
});

describe("POST /api/v1/results: idempotent replay", () => {
  it("answers a replay with the first answer, replayed=true, and stores nothing twice", async () => {
    const mod = newModule();
    const body = ingestBody(source, runId(), [
      result({ module: mod, kernel: K_61 }),
      result({ module: mod, kernel: K_612, status: "fail", log: GCC_STRLCPY_LOG }),
    ]);
    const first = await postResults(body, { token });
    expect(first.status).toBe(201);
    const a = ingestResponseSchema.parse(await first.json());
    const after = await tableCounts();

    const second = await postResults(body, { token });
    expect(second.status).toBe(200);
    const b = ingestResponseSchema.parse(await second.json());
    expect(b).toEqual({ ...a, replayed: true });
    expect(await tableCounts()).toEqual(after);

    // Key order does not make a different body.
    const reordered = JSON.parse(JSON.stringify({ results: body.results.map((r) => Object.fromEntries(Object.entries(r).reverse())), run: { id: body.run.id, source } }));
    const third = await postResults(reordered, { token });
    expect(third.status).toBe(200);
    expect(await third.json()).toEqual({ ...a, replayed: true });
    expect(await tableCounts()).toEqual(after);
  });

  it("stores a batch once when the same body arrives twice at the same time", async () => {
    const mod = newModule();
    const body = ingestBody(source, runId(), [result({ module: mod, kernel: K_61 })]);
    const before = await tableCounts();
    const [x, y] = await Promise.all([postResults(body, { token }), postResults(body, { token })]);
    expect([x.status, y.status].sort()).toEqual([200, 201]);
    const [jx, jy] = [ingestResponseSchema.parse(await x.json()), ingestResponseSchema.parse(await y.json())];
    expect({ ...jx, replayed: false }).toEqual({ ...jy, replayed: false });
    expect((await tableCounts()).run).toBe(before.run + 1);
    expect((await tableCounts()).result).toBe(before.result + 1);
  });
});

describe("atomicity", () => {
  it("stores nothing when the LAST result of a batch is invalid (schema level)", async () => {
    const mod = newModule();
    const results = Array.from({ length: 200 }, (_, i) => result({ module: mod, moduleVersion: `1.${i}.0`, kernel: `6.1.0-${uniqueAbi()}-amd64` }));
    results.push(result({ module: mod, kernel: K_61, arch: "x86 64" }));
    const before = await tableCounts();
    const e = await expectError(await postResults(ingestBody(source, runId(), results), { token }), 422, "validation_failed");
    expect(e.issues!.map((i) => i.path)).toEqual(["results[200].arch"]);
    expect(await tableCounts()).toEqual(before);
    expect(await db().module.findUnique({ where: { slug: mod } })).toBeNull();
  });

  it("rolls back modules, versions, kernels and the run when the transaction fails on the last result", async () => {
    // The schema caps durationMs at 7 days, so this value can only reach the service directly; it
    // overflows the int4 column, and the insert fails after modules, versions, kernels and the run
    // were written inside the same transaction.
    const mod = newModule();
    const kernel = `6.1.0-${uniqueAbi()}-amd64`;
    const body = ingestBody(source, runId(), [
      result({ module: mod, kernel }),
      result({ module: mod, moduleVersion: "2.0.0", kernel: K_612 }),
      result({ module: mod, kernel: K_68, durationMs: 2 ** 40 }),
    ]);
    const before = await tableCounts();
    await expect(recordResults(body)).rejects.toThrow();
    expect(await tableCounts()).toEqual(before);
    expect(await db().module.findUnique({ where: { slug: mod } })).toBeNull();
    expect(await db().kernel.findUnique({ where: { version: kernel } })).toBeNull();
    expect(await db().run.findUnique({ where: { source_externalId: { source, externalId: body.run.id } } })).toBeNull();

    // The same run id is still free afterwards.
    body.results[2].durationMs = 1000;
    expect((await recordResults(body)).stored).toBe(3);
  });

  it("rolls back when a kernel string fails to parse inside the transaction", async () => {
    const mod = newModule();
    const body = ingestBody(source, runId(), [result({ module: mod, kernel: K_61 }), result({ module: mod, kernel: "not-a-kernel" })]);
    const before = await tableCounts();
    await expect(recordResults(body)).rejects.toThrow(/not-a-kernel/);
    expect(await tableCounts()).toEqual(before);
  });
});

describe("cell summaries", () => {
  it("equal a recomputation with foldCell from the raw results, after several overlapping runs", async () => {
    const mod = newModule();
    const at = (min: number) => new Date(Date.UTC(2025, 2, 1, 12, min)).toISOString();
    const r = (v: string, kernel: string, arch: string, stage: Stage, status: Status, min?: number, errorLine?: string) =>
      result({ module: mod, moduleVersion: v, kernel, arch, stage, status, ...(min === undefined ? {} : { finishedAt: at(min) }), ...(errorLine ? { errorLine } : {}) });

    // Run 1: the baseline.
    await ingest(ingestBody(source, runId(), [
      r("1.0.0", K_61, "x86_64", "build", "pass", 0),
      r("1.0.0", K_61, "aarch64", "build", "fail", 0, "aarch64 build failure"),
      r("1.0.0", K_612, "x86_64", "build", "fail", 0, "implicit declaration of function 'strlcpy'"),
      r("2.0.0", K_612, "x86_64", "build", "pass", 0),
      r("2.0.0", K_612, "x86_64", "load", "pass", 1),
    ]));
    // Run 2: an error after a pass, a fix, a new failing stage, a skip, and two results for one
    // cell in the same batch.
    await ingest(ingestBody(source, runId(), [
      r("1.0.0", K_61, "x86_64", "build", "error", 10, "timed out after 600 s"),
      r("1.0.0", K_612, "x86_64", "build", "pass", 10),
      r("2.0.0", K_612, "x86_64", "load", "fail", 10, "insmod: Unknown symbol strlcpy"),
      r("2.0.0", K_61, "x86_64", "build", "skip", 10, "BUILD_EXCLUSIVE_KERNEL_MIN=6.6"),
      r("1.0.0", K_68, "x86_64", "build", "fail", 11, "first try"),
      r("1.0.0", K_68, "x86_64", "build", "pass", 12),
    ]));
    // Run 3: results without their own time (they take the run's), more stages, only errors.
    await ingest(
      ingestBody(
        source,
        runId(),
        [
          r("1.0.0", K_61, "aarch64", "build", "error"),
          r("1.0.0", K_61, "x86_64", "install", "pass"),
          r("1.0.0", K_61, "x86_64", "load", "skip"),
          r("2.0.0", K_612, "x86_64", "test", "error"),
          r("2.0.0", K_68, "aarch64", "build", "error", undefined, "kernel headers not installed"),
        ],
        { finishedAt: at(20) },
      ),
    );
    // Run 4: a late report of an older failure must not override the newer pass.
    await ingest(ingestBody(source, runId(), [r("1.0.0", K_612, "x86_64", "build", "fail", 5, "late")]));

    const m = await db().module.findUniqueOrThrow({ where: { slug: mod } });
    const cells = await db().cell.findMany({ where: { moduleId: m.id }, include: { kernel: true, moduleVersion: true } });
    const results = await db().result.findMany({ where: { moduleVersion: { moduleId: m.id } } });

    // Exactly one cell per distinct version × kernel × arch of the raw results.
    const keyOf = (x: { moduleVersionId: number; kernelId: number; arch: string }) => `${x.moduleVersionId}:${x.kernelId}:${x.arch}`;
    expect(cells.map(keyOf).sort()).toEqual([...new Set(results.map(keyOf))].sort());
    expect(cells).toHaveLength(7);

    for (const cell of cells) {
      const raw = results
        .filter((x) => keyOf(x) === keyOf(cell))
        .map((x) => ({ ...x, stage: x.stage as Stage, status: x.status as Status }));
      const expected = foldCell(raw)!;
      const label = `${cell.moduleVersion.version} × ${cell.kernel.version} × ${cell.arch}`;
      expect(
        {
          status: cell.status,
          stages: cell.stages,
          counts: [cell.passCount, cell.failCount, cell.errorCount, cell.skipCount],
          lastResultId: cell.lastResultId,
          lastResultAt: cell.lastResultAt.toISOString(),
          errorLine: cell.errorLine,
          logUrl: cell.logUrl,
          moduleId: cell.moduleId,
        },
        label,
      ).toEqual({
        status: expected.status,
        stages: expected.stages,
        counts: [expected.passCount, expected.failCount, expected.errorCount, expected.skipCount],
        lastResultId: expected.lastResultId,
        lastResultAt: expected.lastResultAt.toISOString(),
        errorLine: expected.errorLine,
        logUrl: expected.logUrl,
        moduleId: m.id,
      });
    }

    // And the fold says what the history means (so the comparison above is not empty-vs-empty).
    const find = (v: string, kernel: string, arch: string) => cells.find((c) => c.moduleVersion.version === v && c.kernel.version === kernel && c.arch === arch)!;
    expect(find("1.0.0", K_61, "x86_64")).toMatchObject({ status: "skip", stages: { build: "pass", install: "pass", load: "skip" }, errorCount: 1 });
    expect(find("1.0.0", K_61, "aarch64")).toMatchObject({ status: "fail", errorLine: "aarch64 build failure", errorCount: 1 });
    expect(find("1.0.0", K_612, "x86_64")).toMatchObject({ status: "pass", failCount: 2, passCount: 1, errorLine: null });
    expect(find("1.0.0", K_68, "x86_64")).toMatchObject({ status: "pass", failCount: 1, passCount: 1 });
    expect(find("2.0.0", K_612, "x86_64")).toMatchObject({ status: "fail", stages: { build: "pass", load: "fail", test: "error" }, errorLine: "insmod: Unknown symbol strlcpy" });
    expect(find("2.0.0", K_61, "x86_64")).toMatchObject({ status: "skip" });
    expect(find("2.0.0", K_68, "aarch64")).toMatchObject({ status: "error", errorLine: "kernel headers not installed" });
    const late = find("1.0.0", K_612, "x86_64");
    expect(late.lastResultAt.toISOString()).toBe(at(10));
  });
});
