import { beforeAll, describe, expect, it } from "vitest";
import { importKernelApi } from "@/lib/services/kernel-api/import-kernel-api";
import { forgetCheckCache } from "@/lib/services/check/check-cache";
import { checkModules } from "@/lib/services/check/check-modules";
import { forgetCheckPredictions } from "@/lib/services/predictions/add-predictions";
import { recordResults } from "@/lib/services/record-results";
import { HEADERS_NEW, HEADERS_OLD, headersPresent, result, uniqueTag } from "./helpers";

// Real Debian header packages (helpers.ts).
const [OLD, NEW, present] = [HEADERS_OLD, HEADERS_NEW, headersPresent];

/**
 * A check's unknown verdict gets a prediction, kept under the key of what it is made of
 * (add-predictions.ts): kept answers equal fresh ones, and a replaced footprint is seen at once.
 */
describe.skipIf(!present)("kept check predictions", () => {
  const tag = uniqueTag();
  const mod = `cmemo-${tag}`;
  const target = NEW.replace("/usr/src/linux-headers-", "");
  const footprint = (symbols: string[]) => ({ symbols, headers: ["linux/module.h"], includes: [], references: symbols, licences: ["GPL"], importedNamespaces: [] });
  const check = async () => {
    forgetCheckCache(); // the whole check again: only the predictions may be kept
    const [m] = (await checkModules({ kernel: target, modules: [`${mod}@1.0`] })).modules;
    expect(m.verdict).toBe("unknown");
    return m.prediction;
  };

  beforeAll(async () => {
    await importKernelApi({ dir: OLD });
    await importKernelApi({ dir: NEW });
    await recordResults({
      run: { source: `cmemo-${tag}`, id: "r1" },
      results: [result({ module: mod, moduleVersion: "1.0", kernel: "6.1.0-56-amd64", footprint: footprint(["__class_create", "vmalloc"]) })],
    });
  });

  it("answers the same kept as fresh, and follows a replaced footprint", async () => {
    forgetCheckPredictions();
    const fresh = await check();
    expect(fresh).toMatchObject({ outcome: "fail", predicted: true, footprintKernel: "6.1.0-56-amd64" });
    expect(fresh!.summary).toMatch(/__class_create removed/);
    expect(await check()).toEqual(fresh);

    await recordResults({
      run: { source: `cmemo-${tag}`, id: "r2" },
      results: [result({ module: mod, moduleVersion: "1.0", kernel: "6.1.0-56-amd64", footprint: footprint(["vmalloc"]) })],
    });
    const after = await check();
    expect(JSON.stringify(after)).not.toMatch(/__class_create/);
    forgetCheckPredictions();
    expect(await check()).toEqual(after);
  });
});
