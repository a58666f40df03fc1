import { describe, expect, it } from "vitest";
import type { IngestResult } from "../../lib/schemas/ingest";
import type { BuildOutcome } from "../../lib/runner/build-one";
import { chunkBodies, comboKey, moduleInfos, toIngestResult, validateBody } from "../../lib/runner/report";
import { pool } from "../../lib/runner/run-builds";
import { debFor, debianUpstreamVersion, parsePackageSpec, type ModuleSource } from "../../lib/runner/sources";
import { normaliseCompiler } from "../../lib/runner/kernels";

const run = { source: "modcompat-runner", id: "modcompat-runner-2026-01-01T00-00-00-000Z" };

function result(i: number): IngestResult {
  return { module: "v4l2loopback", moduleVersion: "0.12.7", kernel: `6.1.0-${i}-amd64`, arch: "x86_64", stage: "build", status: "pass" };
}

describe("chunkBodies", () => {
  it("keeps the run id when everything fits one request", () => {
    const bodies = chunkBodies(run, undefined, [result(1), result(2)]);
    expect(bodies).toHaveLength(1);
    expect(bodies[0].run.id).toBe(run.id);
    expect(bodies[0]).not.toHaveProperty("modules");
  });

  it("splits into ≤ maxResults parts with distinct -partN run ids", () => {
    const results = Array.from({ length: 12 }, (_, i) => result(i + 1));
    const bodies = chunkBodies(run, [{ slug: "v4l2loopback" }], results, 5);
    expect(bodies.map((b) => b.results.length)).toEqual([5, 5, 2]);
    expect(bodies.map((b) => b.run.id)).toEqual([`${run.id}-part1`, `${run.id}-part2`, `${run.id}-part3`]);
    expect(bodies.every((b) => b.modules?.[0].slug === "v4l2loopback")).toBe(true);
    expect(bodies.flatMap((b) => b.results)).toEqual(results);
  });

  it("also splits by size", () => {
    const big = Array.from({ length: 4 }, (_, i) => ({ ...result(i + 1), log: "x".repeat(4000) }));
    expect(chunkBodies(run, undefined, big, 5000, 9000).length).toBeGreaterThan(1);
  });
});

describe("ingest body pieces", () => {
  const outcome: BuildOutcome = {
    module: "v4l2loopback",
    moduleVersion: "0.12.7",
    kernel: "6.12.107+deb12-amd64",
    arch: "x86_64",
    status: "fail",
    rule: "compile-error",
    errorLine: "implicit declaration of function 'strlcpy'",
    durationMs: 4120.6,
    startedAt: "2026-11-26T17:03:11.000Z",
    finishedAt: "2026-11-26T17:03:15.120Z",
    log: "line\n".repeat(3000),
    compiler: "gcc (Debian 12.2.0-14+deb12u1) 12.2.0",
  };

  it("toIngestResult cuts the log and validates against the ingest schema", () => {
    const r = toIngestResult(outcome, 4096);
    expect(r).toMatchObject({ stage: "build", status: "fail", durationMs: 4121, logTruncated: true, compiler: outcome.compiler });
    expect(new TextEncoder().encode(r.log ?? "").length).toBeLessThanOrEqual(4096);
    const body = validateBody({ run, results: [r] });
    expect(body.results[0].errorLine).toBe("implicit declaration of function 'strlcpy'");
  });

  it("validateBody rejects what the server would reject", () => {
    expect(() => validateBody({ run, results: [{ ...result(1), module: "Not A Slug" }] })).toThrow(/ingest schema/);
  });

  it("moduleInfos groups versions per slug with their declared range", () => {
    const src = (version: string, min?: string, max?: string) =>
      ({ slug: "zfs", dkmsName: "zfs", version, declaredKernelMin: min, declaredKernelMax: max }) as ModuleSource;
    expect(moduleInfos([src("2.1.11", "3.10", "6.2"), src("2.3.2", "4.18", "6.14")])).toEqual([
      {
        slug: "zfs",
        name: "zfs",
        versions: [
          { version: "2.1.11", declaredKernelMin: "3.10", declaredKernelMax: "6.2" },
          { version: "2.3.2", declaredKernelMin: "4.18", declaredKernelMax: "6.14" },
        ],
      },
    ]);
  });

  it("comboKey identifies module × version × kernel × arch", () => {
    expect(comboKey(result(1))).toBe(comboKey({ ...result(1), status: "fail" } as IngestResult));
    expect(comboKey(result(1))).not.toBe(comboKey(result(2)));
  });
});

describe("sources helpers", () => {
  it("parses package specs", () => {
    expect(parsePackageSpec("v4l2loopback-dkms")).toEqual({ pkg: "v4l2loopback-dkms" });
    expect(parsePackageSpec("zfs-dkms=2.3.2-2~bpo12+2")).toEqual({ pkg: "zfs-dkms", version: "2.3.2-2~bpo12+2" });
    expect(parsePackageSpec("../x")).toBeNull();
  });

  it("finds the .deb apt-get download wrote, epochs included", () => {
    const files = ["dahdi-dkms_1%3a2.11.1.0.20170917~dfsg-8.4_all.deb", "zfs-dkms_2.1.11-1+deb12u1_all.deb", "zfs-dkms_2.3.2-2~bpo12+2_all.deb"];
    expect(debFor(files, "dahdi-dkms", "1:2.11.1.0.20170917~dfsg-8.4")).toBe(files[0]);
    expect(debFor(files, "zfs-dkms", "2.3.2-2~bpo12+2")).toBe(files[2]);
    expect(debFor(files, "zfs-dkms", "2.3.2-1")).toBeUndefined();
    expect(debFor(["dahdi-dkms_2.11-1_all.deb"], "dahdi-dkms", "1:2.11-1")).toBe("dahdi-dkms_2.11-1_all.deb");
  });

  it("strips epoch and Debian revision", () => {
    expect(debianUpstreamVersion("1:2.11.1.0.20170917~dfsg-8.4")).toBe("2.11.1.0.20170917~dfsg");
    expect(debianUpstreamVersion("0.12.7-2")).toBe("0.12.7");
  });

  it("normalises the compiler named in the kernel's CONFIG_CC_VERSION_TEXT", () => {
    expect(normaliseCompiler('"gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0"')).toBe("gcc (Debian 12.2.0-14+deb12u1) 12.2.0");
    expect(normaliseCompiler("x86_64-linux-gnu-gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0")).toBe("gcc (Debian 12.2.0-14+deb12u1) 12.2.0");
    expect(normaliseCompiler("Debian clang version 16.0.6 (15~deb12u1)")).toBe("Debian clang version 16.0.6 (15~deb12u1)");
  });
});

describe("pool", () => {
  it("never runs more than the limit at once and runs everything", async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await pool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5 + (n % 3) * 3));
      done.push(n);
      running--;
    });
    expect(peak).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
