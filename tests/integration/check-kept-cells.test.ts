import { describe, expect, it } from "vitest";
import type { IngestBody } from "@/lib/schemas/ingest";
import { checkModules } from "@/lib/services/check/check-modules";
import { forgetCheckCache, keptCells } from "@/lib/services/check/check-cache";
import { pgRead } from "@/lib/db/client";
import { recordResults } from "@/lib/services/record-results";
import { mulberry32 } from "@/lib/synthetic/generate";
import { result, uniqueTag } from "./helpers";

/**
 * The check reads a version's series other than the target's only when a rule walks there, and
 * keeps what it read per version and arch (VersionCells in load-check-facts.ts) for later checks
 * on other targets. Whatever was kept before, an answer equals the one a fresh process gives.
 */
const tag = uniqueTag();
const rnd = mulberry32(20261130);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const KERNELS = [
  "5.10.0-30-amd64", "5.10.0-32-amd64", "5.10.0-32-cloud-amd64", "6.1.0-47-amd64", "6.1.0-56-amd64", "6.1.0-56-rt-amd64", "6.1.112",
  "6.6.58", "6.9.3", "6.12.57+deb13-amd64", "6.12.107+deb13-amd64", "6.12.1", "6.12-rc1",
];
const ARCHES = ["x86_64", "aarch64"];
const MODULES = [0, 1, 2].map((m) => `kept-${m}-${tag}`);
const VERSIONS = ["1.0", "1.1", "2.0"];

describe("checks with kept cells", () => {
  it("give the answers of a fresh process, over 120 checks on other targets, arches and module sets", async () => {
    const results: IngestBody["results"] = [];
    for (const slug of MODULES)
      for (const moduleVersion of VERSIONS)
        for (const kernel of KERNELS)
          for (const arch of ARCHES)
            if (rnd() < 0.7) {
              const x = rnd();
              const status = x < 0.55 ? "pass" : x < 0.85 ? "fail" : pick(["skip", "error"] as const);
              results.push(result({ module: slug, moduleVersion, kernel, arch, status, ...(status === "fail" ? { errorLine: `error: ${kernel} ${arch}` } : {}) }));
            }
    await recordResults({ run: { source: `kept-cells-${tag}`, id: "a" }, results });

    forgetCheckCache();
    const inputs = Array.from({ length: 120 }, () => ({
      kernel: rnd() < 0.85 ? pick(KERNELS) : "6.12.200",
      modules: MODULES.filter(() => rnd() < 0.6).map((m) => `${m}@${pick(VERSIONS)}`).concat(`${pick(MODULES)}@${pick(VERSIONS)}`),
      arch: rnd() < 0.5 ? pick(ARCHES) : undefined,
    }));
    const kept = [];
    for (const input of inputs) kept.push(JSON.stringify(await checkModules(input)));
    let sinceElsewhere = 0;
    for (const [i, input] of inputs.entries()) {
      forgetCheckCache();
      const fresh = await checkModules(input);
      expect(JSON.parse(kept[i]), JSON.stringify(input)).toEqual(JSON.parse(JSON.stringify(fresh)));
      for (const m of fresh.modules) if (m.since?.lastPass && !m.since.lastPass.startsWith(input.kernel.split(/[.-]/).slice(0, 2).join("."))) sinceElsewhere += 1;
    }
    // the walks really left the target's series: "failing since" found its last pass in an older one
    expect(sinceElsewhere).toBeGreaterThan(0);
  });

  it("are kept per version and arch, as text of every series, and read again once the module's data changes", async () => {
    const [{ id }] = await pgRead<{ id: number }>(`SELECT v.id FROM "ModuleVersion" v JOIN "Module" m ON m.id = v."moduleId" WHERE m.slug = $1 AND v.version = '1.0'`, [MODULES[0]]);
    forgetCheckCache();
    expect(keptCells(id, "x86_64")).toBeUndefined();
    await checkModules({ kernel: "6.12.1", modules: [`${MODULES[0]}@1.0`], arch: "x86_64" });
    const first = keptCells(id, "x86_64");
    expect(first?.value.size).toBeGreaterThan(0);
    expect(first!.value.series.length).toBeGreaterThan(1);
    // another target on another series: the same kept object serves it
    await checkModules({ kernel: "6.1.112", modules: [`${MODULES[0]}@1.0`], arch: "x86_64" });
    expect(keptCells(id, "x86_64")?.value).toBe(first!.value);
    await recordResults({ run: { source: `kept-cells-${tag}`, id: "b" }, results: [result({ module: MODULES[0], moduleVersion: "1.0", kernel: "6.6.58", arch: "x86_64", status: "fail", errorLine: "e" })] });
    await checkModules({ kernel: "6.1.112", modules: [`${MODULES[0]}@1.0`], arch: "x86_64" });
    const after = keptCells(id, "x86_64");
    expect(after?.value).not.toBe(first!.value);
    expect(after?.stamp).not.toBe(first!.stamp);
  });
});
