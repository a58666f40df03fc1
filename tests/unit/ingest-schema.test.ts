import { describe, expect, it } from "vitest";
import { ingestBodySchema, MAX_RESULTS_PER_REQUEST, type IngestBody } from "@/lib/schemas/ingest";
import { issuesFromZod } from "@/lib/services/errors";

type RawResult = Record<string, unknown>;

const result = (over: RawResult = {}): RawResult => ({
  module: "v4l2loopback",
  moduleVersion: "0.12.7",
  kernel: "6.12.107+deb12-amd64",
  arch: "x86_64",
  stage: "build",
  status: "fail",
  durationMs: 2100,
  log: "v4l2loopback.c:702:9: error: implicit declaration of function ‘strlcpy’",
  logUrl: "https://ci.example.org/logs/1.txt",
  compiler: "gcc (Debian 12.2.0-14) 12.2.0",
  finishedAt: "2025-01-07T10:00:00Z",
  ...over,
});

const body = (results: RawResult[] = [result()], over: Record<string, unknown> = {}) => ({
  run: {
    source: "debian-dkms-lab",
    id: "run-42",
    url: "https://ci.example.org/runs/42",
    startedAt: "2025-01-07T09:58:00Z",
    finishedAt: "2025-01-07T10:01:00+01:00",
    environment: { arch: "x86_64", compiler: "gcc 12.2.0", distro: "debian-12", host: "builder-1" },
    meta: { headers: { "6.12.107+deb12-amd64": "6.12.107-1~bpo12+1" }, dkms: "3.0.10" },
  },
  modules: [
    {
      slug: "v4l2loopback",
      name: "v4l2loopback",
      homepage: "https://github.com/umlaeute/v4l2loopback",
      versions: [{ version: "0.12.7", releasedAt: "2022-08-04", declaredKernelMin: "2.6.32" }],
    },
  ],
  results,
  ...over,
});

/** Issues as the API reports them: `results[3].kernel`, not ["results", 3, "kernel"]. */
function issuesOf(input: unknown) {
  const parsed = ingestBodySchema.safeParse(input);
  if (parsed.success) return [];
  return issuesFromZod(parsed.error.issues);
}

describe("ingestBodySchema accepts", () => {
  it("a complete, valid body and keeps its values", () => {
    const parsed = ingestBodySchema.parse(body([result(), result({ stage: "load", status: "pass", kernel: "6.1.0-56-amd64" })]));
    expect(parsed.results).toHaveLength(2);
    expect(parsed.results[1]).toMatchObject({ stage: "load", status: "pass", kernel: "6.1.0-56-amd64" });
    expect(parsed.run.meta).toEqual({ headers: { "6.12.107+deb12-amd64": "6.12.107-1~bpo12+1" }, dkms: "3.0.10" });
  });

  it("a minimal body", () => {
    const minimal: IngestBody = {
      run: { source: "x", id: "1" },
      results: [{ module: "zfs", moduleVersion: "2.3.2", kernel: "6.1.0-56-amd64", arch: "x86_64", stage: "build", status: "pass" }],
    };
    expect(ingestBodySchema.safeParse(minimal).success).toBe(true);
  });

  it.each(["6.1.0-56-amd64", "6.8.0-45-generic", "6.9.7-200.fc40.x86_64", "5.14.0-427.13.1.el9_4.x86_64", "6.10-rc1", "6.12.38+deb13-amd64"])(
    "kernel %s",
    (kernel) => {
      expect(issuesOf(body([result({ kernel })]))).toEqual([]);
    },
  );

  it(`exactly ${MAX_RESULTS_PER_REQUEST} results`, () => {
    const many = Array.from({ length: MAX_RESULTS_PER_REQUEST }, () => result({ log: undefined }));
    expect(issuesOf(body(many))).toEqual([]);
  });
});

describe("ingestBodySchema rejects", () => {
  it("an unparseable kernel, naming results[i].kernel and quoting the string", () => {
    const issues = issuesOf(body([result(), result(), result({ kernel: "linux six point one" })]));
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe("results[2].kernel");
    expect(issues[0].message).toContain('"linux six point one"');
  });

  it.each<[string, RawResult, string]>([
    ["an unknown status", { status: "passed" }, "results[0].status"],
    ["an unknown stage", { stage: "compile" }, "results[0].stage"],
    ["an arch with upper case", { arch: "X86_64" }, "results[0].arch"],
    ["an empty arch", { arch: "" }, "results[0].arch"],
    ["a log URL that is not a URL", { logUrl: "logs/1.txt" }, "results[0].logUrl"],
    ["a module slug with spaces", { module: "v4l2 loopback" }, "results[0].module"],
    ["a module version with spaces", { moduleVersion: "0.12 7" }, "results[0].moduleVersion"],
    ["a finishedAt that is not ISO", { finishedAt: "yesterday" }, "results[0].finishedAt"],
    ["a negative duration", { durationMs: -1 }, "results[0].durationMs"],
    ["a fractional duration", { durationMs: 1.5 }, "results[0].durationMs"],
    ["an unknown key in a result", { exitCode: 10 }, "results[0]"],
  ])("%s", (_name, over, path) => {
    const issues = issuesOf(body([result(over)]));
    expect([...new Set(issues.map((i) => i.path))]).toEqual([path]);
    expect(issues[0].message.length).toBeGreaterThan(0);
  });

  it("names the unknown key (strict objects)", () => {
    const parsed = ingestBodySchema.safeParse(body([result({ exitCode: 10 })]));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["exitCode"] });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["an unknown top-level key", { extra: true }, "(body)"],
    ["a run URL that is not a URL", { run: { source: "x", id: "1", url: "not a url" } }, "run.url"],
    ["a run source with spaces", { run: { source: "my lab", id: "1" } }, "run.source"],
    ["a run without id", { run: { source: "x" } }, "run.id"],
    ["an unknown key in run", { run: { source: "x", id: "1", token: "secret" } }, "run"],
    ["an unknown key in run.environment", { run: { source: "x", id: "1", environment: { kernel: "6.1" } } }, "run.environment"],
    ["an unknown key in modules[]", { modules: [{ slug: "zfs", license: "CDDL" }] }, "modules[0]"],
    ["an empty results array", { results: [] }, "results"],
  ])("%s", (_name, over, path) => {
    expect(issuesOf(body(undefined, over)).map((i) => i.path)).toEqual([path]);
  });

  it(`more than ${MAX_RESULTS_PER_REQUEST} results`, () => {
    const many = Array.from({ length: MAX_RESULTS_PER_REQUEST + 1 }, () => result({ log: undefined }));
    const issues = issuesOf(body(many));
    expect(issues.map((i) => i.path)).toEqual(["results"]);
    expect(issues[0].message).toContain(String(MAX_RESULTS_PER_REQUEST));
  });

  it("a body that is not an object", () => {
    expect(issuesOf(null)).toEqual([{ path: "(body)", message: expect.any(String) }]);
    expect(issuesOf([body()])[0].path).toBe("(body)");
  });

  it("reports every bad field of a batch, not just the first", () => {
    const issues = issuesOf(body([result({ status: "ok" }), result(), result({ kernel: "" }), result({ arch: "x86-64" })]));
    expect(issues.map((i) => i.path).sort()).toEqual(["results[0].status", "results[2].kernel", "results[3].arch"]);
  });
});
