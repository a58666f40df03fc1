import { beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/v1/check/route";
import { checkResponseSchema, type CheckResponse } from "@/lib/schemas/check";
import { apiErrorSchema, type IngestBody } from "@/lib/schemas/ingest";
import { recordResults } from "@/lib/services/record-results";

// Module slugs of this file only, so results of other test files cannot change these verdicts.
const V4L = "chk-v4l2loopback";
const ZFS = "chk-zfs";
const EVDI = "chk-evdi";
const STRLCPY_LOG = [
  "make -C /lib/modules/6.12.107+deb12-amd64/build M=/var/lib/dkms/v4l2loopback/0.12.7/build modules",
  "/var/lib/dkms/v4l2loopback/0.12.7/build/v4l2loopback.c:2376:9: error: implicit declaration of function ‘strlcpy’; did you mean ‘strscpy’? [-Werror=implicit-function-declaration]",
  "make[2]: *** [scripts/Makefile.build:243: v4l2loopback.o] Error 1",
].join("\n");

const r = (module: string, moduleVersion: string, kernel: string, status: "pass" | "fail" | "skip" | "error", extra: Partial<IngestBody["results"][number]> = {}) => ({
  module,
  moduleVersion,
  kernel,
  arch: "x86_64",
  stage: "build" as const,
  status,
  finishedAt: "2026-11-20T10:00:00Z",
  ...extra,
});

const fixture: IngestBody = {
  run: { source: "check-api-test", id: `fixture-${Date.now()}`, environment: { distro: "debian 12" } },
  modules: [
    { slug: ZFS, name: "OpenZFS (test)", versions: [{ version: "2.1.11", declaredKernelMin: "3.10", declaredKernelMax: "6.2" }, { version: "2.3.2", declaredKernelMin: "4.18", declaredKernelMax: "6.15" }] },
  ],
  results: [
    r(V4L, "0.12.7", "6.1.0-47-amd64", "pass"),
    r(V4L, "0.12.7", "6.1.0-56-amd64", "pass"),
    r(V4L, "0.12.7", "6.12.107+deb12-amd64", "fail", { log: STRLCPY_LOG, logUrl: "https://ci.example/1/make.log", finishedAt: "2026-11-25T08:00:00Z" }),
    r(V4L, "0.13.2", "6.1.0-56-amd64", "pass"),
    r(V4L, "0.13.2", "6.12.107+deb12-amd64", "pass"),
    r(V4L, "0.13.2", "6.12.107+deb12-amd64", "fail", { arch: "aarch64", errorLine: "only on arm" }),
    r(ZFS, "2.1.11", "6.1.0-56-amd64", "pass"),
    r(ZFS, "2.1.11", "6.12.107+deb12-amd64", "skip", { errorLine: "configure: error: *** Cannot build against kernel version 6.12.107." }),
    r(ZFS, "2.3.2", "6.12.95+deb12-amd64", "pass"),
    r(EVDI, "1.12.0", "6.1.0-56-amd64", "pass"),
    r(EVDI, "1.12.0", "6.12.107+deb12-amd64", "error", { errorLine: "timed out after 1200 s" }),
  ],
};

const ctx = { params: Promise.resolve({}) };
const base = "http://test.local/api/v1/check";

async function get(query: string): Promise<Response> {
  return GET(new Request(`${base}?${query}`), ctx);
}
async function ok(res: Response): Promise<CheckResponse> {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return checkResponseSchema.parse(body);
}
const q = (kernel: string, ...modules: string[]) =>
  [`kernel=${encodeURIComponent(kernel)}`, ...modules.map((m) => `module=${encodeURIComponent(m)}`)].join("&");

beforeAll(async () => {
  await recordResults(fixture);
});

describe("GET /api/v1/check", () => {
  it("broken: the error line, since when, and the version that works", async () => {
    const res = await get(`${q("6.12.107+deb12-amd64", `${V4L}@0.12.7`)}&arch=x86_64`);
    expect(res.headers.get("cache-control")).toContain("max-age");
    const out = await ok(res);
    expect(out.outcome).toBe("blocked");
    expect(out.kernel).toMatchObject({ version: "6.12.107+deb12-amd64", known: true, series: "6.12", distro: "debian", distroRelease: "deb12" });
    const m = out.modules[0];
    expect(m).toMatchObject({ module: V4L, version: "0.12.7", found: true, verdict: "broken", versionSource: "request" });
    expect(m.errorLine).toBe("implicit declaration of function 'strlcpy'");
    expect(m.since).toEqual({ kernel: "6.12.107+deb12-amd64", lastPass: "6.1.0-56-amd64" });
    expect(m.fixedIn).toEqual({ version: "0.13.2", verdict: "works" });
    const exact = m.evidence.find((e) => e.relation === "exact")!;
    expect(exact).toMatchObject({ kernel: "6.12.107+deb12-amd64", status: "fail", logUrl: "https://ci.example/1/make.log", lastResultAt: "2026-11-25T08:00:00.000Z" });
    expect(exact.links.api).toBe(`/api/v1/modules/${V4L}/versions/0.12.7/kernels/6.12.107%2Bdeb12-amd64`);
    expect(out.links.self).toBe(`/check?kernel=6.12.107%2Bdeb12-amd64&module=${V4L}%400.12.7&arch=x86_64`);
  });

  it("all arches: evidence outside the target's series is cited in full, arch by arch", async () => {
    const slug = "chk-two-arches";
    await recordResults({
      run: { source: "check-api-test", id: `two-arches-${Date.now()}` },
      results: [
        r(slug, "1.0", "6.1.0-56-amd64", "pass", { finishedAt: "2026-10-01T10:00:00Z" }),
        r(slug, "1.0", "6.1.0-56-amd64", "pass", { arch: "aarch64", finishedAt: "2026-10-02T10:00:00Z" }),
        r(slug, "1.0", "6.12.95+deb12-amd64", "fail", { arch: "aarch64", errorLine: "error: 'struct foo' has no member named 'bar'" }),
        r(slug, "1.0", "6.12.107+deb12-amd64", "fail", { errorLine: "error: 'struct foo' has no member named 'bar'" }),
        r(slug, "1.0", "6.12.107+deb12-amd64", "fail", { arch: "aarch64", errorLine: "error: 'struct foo' has no member named 'bar'" }),
      ],
    });
    const m = (await ok(await get(q("6.12.107+deb12-amd64", `${slug}@1.0`)))).modules[0];
    expect(m.verdict).toBe("broken");
    expect(m.since).toEqual({ kernel: "6.12.95+deb12-amd64", lastPass: "6.1.0-56-amd64" });
    const lastPass = m.evidence.find((e) => e.relation === "last-pass")!;
    expect(lastPass).toMatchObject({
      kernel: "6.1.0-56-amd64",
      status: "pass",
      arches: [
        { arch: "aarch64", status: "pass" },
        { arch: "x86_64", status: "pass" },
      ],
      lastResultAt: "2026-10-02T10:00:00.000Z",
    });
  });

  it("the evidence link leads to the raw results", async () => {
    const out = await ok(await get(q("6.12.107+deb12-amd64", `${V4L}@0.12.7`)));
    const { GET: cellGet } = await import("@/app/api/v1/modules/[slug]/versions/[version]/kernels/[kernel]/route");
    const res = await cellGet(new Request(`http://test.local${out.modules[0].evidence[0].links.api}`), {
      params: Promise.resolve({ slug: V4L, version: "0.12.7", kernel: "6.12.107+deb12-amd64" }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).results[0].errorLine).toBe("implicit declaration of function 'strlcpy'");
  });

  it("works everywhere on the old kernel, and names the newest kernel safe for all", async () => {
    const out = await ok(await get(q("6.1.0-56-amd64", `${V4L}@0.12.7`, `${ZFS}@2.1.11`, `${EVDI}@1.12.0`)));
    expect(out.modules.map((m) => m.verdict)).toEqual(["works", "works", "works"]);
    expect(out.outcome).toBe("ok");
    expect(out.counts).toEqual({ works: 3, likely: 0, broken: 0, unsupported: 0, unknown: 0 });
    expect(out.newestSafeKernel).toEqual({
      overall: "6.1.0-56-amd64",
      inLine: "6.1.0-56-amd64",
      line: "debian amd64",
      considered: [`${V4L}@0.12.7`, `${ZFS}@2.1.11`, `${EVDI}@1.12.0`],
    });
  });

  it("the newest safe kernel moves up when the modules allow it", async () => {
    const out = await ok(await get(`${q("6.12.107+deb12-amd64", `${V4L}@0.13.2`)}&arch=x86_64`));
    expect(out.modules[0].verdict).toBe("works");
    expect(out.newestSafeKernel.overall).toBe("6.12.107+deb12-amd64");
  });

  it("unsupported: the module declines the kernel, and a newer version accepts it", async () => {
    const out = await ok(await get(q("6.12.107+deb12-amd64", `${ZFS}@2.1.11`)));
    expect(out.modules[0]).toMatchObject({ verdict: "unsupported", newestAccepting: { version: "2.3.2", verdict: "likely" }, declaredRange: { min: "3.10", max: "6.2" } });
  });

  it("likely: an unseen kernel whose series neighbour passes", async () => {
    // a kernel no other test file stores (upstream-removal.test.ts stores 6.1.0-57-amd64)
    const out = await ok(await get(q("6.1.0-9957-amd64", `${V4L}@0.12.7`)));
    expect(out.kernel.known).toBe(false);
    expect(out.modules[0].verdict).toBe("likely");
    expect(out.modules[0].reason).toContain("6.1.0-56-amd64");
  });

  it("unknown: only an environment error, and no neighbour", async () => {
    const out = await ok(await get(q("6.12.107+deb12-amd64", `${EVDI}@1.12.0`)));
    expect(out.modules[0].verdict).toBe("unknown");
    expect(out.modules[0].reason).toContain("only environment errors");
    expect(out.outcome).toBe("uncertain");
  });

  it("the arch filter: a failure on another arch does not count", async () => {
    const all = await ok(await get(q("6.12.107+deb12-amd64", `${V4L}@0.13.2`)));
    expect(all.modules[0].verdict).toBe("broken");
    expect(all.modules[0].evidence[0].arches).toEqual([
      { arch: "aarch64", status: "fail" },
      { arch: "x86_64", status: "pass" },
    ]);
    const x86 = await ok(await get(`${q("6.12.107+deb12-amd64", `${V4L}@0.13.2`)}&arch=x86_64`));
    expect(x86.modules[0].verdict).toBe("works");
  });

  it("unknown modules and versions say what the server knows instead", async () => {
    const out = await ok(await get(q("6.12.107+deb12-amd64", "chk-no-such-module@1.0", `${V4L}@0.12.99`, V4L.toUpperCase())));
    expect(out.modules.map((m) => [m.module, m.version, m.found, m.verdict, m.versionSource])).toEqual([
      ["chk-no-such-module", "1.0", false, "unknown", "request"],
      [V4L, "0.12.99", false, "unknown", "request"],
    ]);
    expect(out.modules[0].reason).toContain("not known to this server");
    expect(out.modules[1].reason).toContain("the newest known version, 0.13.2");
  });

  it("a bare module name means its newest known version", async () => {
    const out = await ok(await get(`${q("6.12.107+deb12-amd64", V4L)}&arch=x86_64`));
    expect(out.modules[0]).toMatchObject({ version: "0.13.2", versionSource: "newest", verdict: "works" });
  });

  it.each([
    ["kernel=6.1.0-56-amd64", "module", "give at least one module"],
    [`module=${V4L}@0.12.7`, "kernel", ""],
    [`kernel=banana&module=${V4L}@0.12.7`, "kernel", 'cannot parse kernel version "banana"'],
    ["kernel=6.1.0-56-amd64&module=zfs@", "module", "name@version"],
    ["kernel=6.1.0-56-amd64&module=zfs@2.2.4&arch=x86-64", "arch", "uname -m"],
  ])("422 for %s", async (query, path, message) => {
    const res = await get(query);
    expect(res.status).toBe(422);
    const body = apiErrorSchema.parse(await res.json());
    const issue = body.error.issues?.find((i) => i.path.startsWith(path));
    expect(issue, JSON.stringify(body)).toBeDefined();
    expect(issue!.message).toContain(message);
  });
});

const DKMS3 = [
  "$ dkms status",
  `${V4L}/0.12.7, 6.1.0-56-amd64, x86_64: installed`,
  `${ZFS}/2.1.11, 6.1.0-56-amd64, x86_64: installed (original_module exists)`,
  `${ZFS}/2.1.9: added`,
  `${EVDI}, 1.12.0, 6.1.0-56-amd64, x86_64: installed`,
].join("\n");

describe("POST /api/v1/check", () => {
  const post = (body: BodyInit, type: string, query = "") =>
    POST(new Request(`${base}${query}`, { method: "POST", headers: { "content-type": type }, body }), ctx);

  it("JSON with raw dkms status: each module's newest version, the arch of its lines, and the unreadable lines", async () => {
    const out = await ok(await post(JSON.stringify({ kernel: "6.12.107+deb12-amd64", dkmsStatus: DKMS3 }), "application/json"));
    expect(out.arch).toBe("x86_64");
    expect(out.modules.map((m) => [m.module, m.version, m.verdict, m.versionSource])).toEqual([
      [V4L, "0.12.7", "broken", "dkms"],
      [ZFS, "2.1.11", "unsupported", "dkms"],
      [EVDI, "1.12.0", "unknown", "dkms"],
    ]);
    expect(out.modules[1].dkms).toEqual({ states: ["installed"], lines: [3], otherVersions: ["2.1.9"] });
    expect(out.dkms).toEqual({ entries: 4, problems: [{ line: 1, text: "$ dkms status", reason: expect.stringContaining("not a dkms status line") }] });
    expect(out.outcome).toBe("blocked");
    expect(out.links.self).toContain(`module=${ZFS}%402.1.11`);
  });

  it("text/plain: the dkms status as the body, the kernel in the URL", async () => {
    const out = await ok(await post(DKMS3, "text/plain; charset=utf-8", "?kernel=6.1.0-56-amd64"));
    expect(out.modules.map((m) => m.verdict)).toEqual(["works", "works", "works"]);
  });

  it("JSON with modules, one or many, like GET", async () => {
    const one = await ok(await post(JSON.stringify({ kernel: "6.1.0-56-amd64", module: `${V4L}@0.12.7` }), "application/json"));
    const many = await ok(await post(JSON.stringify({ kernel: "6.1.0-56-amd64", module: [`${V4L}@0.12.7`, `${EVDI}@1.12.0`] }), "application/json"));
    expect(one.modules).toHaveLength(1);
    expect(many.modules).toHaveLength(2);
  });

  it("an explicit module overrides its dkms line", async () => {
    const out = await ok(await post(JSON.stringify({ kernel: "6.12.107+deb12-amd64", module: `${V4L}@0.13.2`, dkmsStatus: DKMS3, arch: "x86_64" }), "application/json"));
    expect(out.modules[0]).toMatchObject({ module: V4L, version: "0.13.2", verdict: "works", versionSource: "request" });
    expect(out.modules).toHaveLength(3);
  });

  it("an empty dkms status is a valid, empty check", async () => {
    const out = await ok(await post(JSON.stringify({ kernel: "6.1.0-56-amd64", dkmsStatus: "" }), "application/json"));
    expect(out.modules).toEqual([]);
    expect(out.outcome).toBe("ok");
    expect(out.newestSafeKernel.overall).toBeNull();
  });

  it.each([
    [JSON.stringify({ kernel: "6.1.0-56-amd64" }), "application/json", "", 422, "validation_failed"],
    [JSON.stringify({ kernel: "6.1.0-56-amd64", modules: ["x@1"] }), "application/json", "", 422, "validation_failed"],
    ["{not json", "application/json", "", 400, "invalid_json"],
    ["<check/>", "application/xml", "", 415, "unsupported_media_type"],
    [DKMS3, "text/plain", "", 422, "validation_failed"],
    ["x".repeat(300 * 1024), "text/plain", "?kernel=6.1.0-56-amd64", 413, "payload_too_large"],
  ])("rejects %#", async (body, type, query, status, code) => {
    const res = await post(body, type, query);
    expect(res.status).toBe(status);
    expect(apiErrorSchema.parse(await res.json()).error.code).toBe(code);
  });
});

describe("freshness", () => {
  it("sees a new ingest at once, also in the cells it keeps between checks", async () => {
    const slug = "chk-cache";
    const res = (kernel: string, status: "pass" | "fail", finishedAt: string) => ({ ...r(slug, "1.0.0", kernel, status, { finishedAt }), errorLine: status === "fail" ? "boom" : undefined });
    await recordResults({
      run: { source: "check-api-test", id: `cache-1-${Date.now()}` },
      results: [res("6.1.0-56-amd64", "pass", "2026-11-01T00:00:00Z"), res("6.12.107+deb12-amd64", "fail", "2026-11-01T00:00:00Z")],
    });
    const before = await ok(await get(`${q("6.12.107+deb12-amd64", `${slug}@1.0.0`)}&arch=x86_64`));
    expect(before.modules[0].since).toEqual({ kernel: "6.12.107+deb12-amd64", lastPass: "6.1.0-56-amd64" });
    expect(before.newestSafeKernel.overall).toBe("6.1.0-56-amd64");
    // A repeat is answered partly from kept cells; it must say the same.
    expect(await ok(await get(`${q("6.12.107+deb12-amd64", `${slug}@1.0.0`)}&arch=x86_64`))).toEqual(before);

    // The 6.1 cell, outside the target's series, turns red.
    await recordResults({ run: { source: "check-api-test", id: `cache-2-${Date.now()}` }, results: [res("6.1.0-56-amd64", "fail", "2026-11-02T00:00:00Z")] });
    const after = await ok(await get(`${q("6.12.107+deb12-amd64", `${slug}@1.0.0`)}&arch=x86_64`));
    expect(after.newestSafeKernel.overall).toBeNull();
    expect(after.modules[0].since).toEqual({ kernel: "6.1.0-56-amd64", lastPass: null });
  });
});

