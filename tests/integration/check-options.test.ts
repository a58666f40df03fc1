import { describe, expect, it } from "vitest";
import { compareKernels } from "@/lib/domain/kernel-version";
import { listCheckOptions, MAX_KERNEL_OPTIONS, MAX_VERSIONS_PER_MODULE } from "@/lib/services/check/list-check-options";
import { recordResults } from "@/lib/services/record-results";
import { result, uniqueTag } from "./helpers";

describe("the /check form's suggestions", () => {
  it("are each module's newest versions, newest first, and at most the newest kernels", async () => {
    const slug = `opts-${uniqueTag()}`;
    await recordResults({
      run: { source: `opts-${slug}`, id: "1" },
      results: Array.from({ length: 15 }, (_, i) => result({ module: slug, moduleVersion: `1.${i}`, kernel: "6.1.5", status: "pass" })),
    });
    const { moduleVersions, kernels } = await listCheckOptions();
    expect(moduleVersions.filter((m) => m.startsWith(`${slug}@`))).toEqual(Array.from({ length: MAX_VERSIONS_PER_MODULE }, (_, i) => `${slug}@1.${14 - i}`));
    expect(kernels.length).toBeLessThanOrEqual(MAX_KERNEL_OPTIONS);
    expect(kernels.length).toBeGreaterThan(0);
    expect([...kernels].sort((a, b) => compareKernels(b, a))).toEqual(kernels);
  });
});
