import { beforeAll, describe, expect, it } from "vitest";
import { pgRead } from "@/lib/db/client";
import { importKernelApi } from "@/lib/services/kernel-api/import-kernel-api";
import { cellPredictionsKept, forgetCellPredictions, predictMatrixCells } from "@/lib/services/predictions/predict-matrix-cells";
import { recordResults } from "@/lib/services/record-results";
import { HEADERS_NEW, HEADERS_OLD, headersPresent, result, uniqueTag } from "./helpers";

// Real Debian header packages (helpers.ts).
const [OLD, NEW, present] = [HEADERS_OLD, HEADERS_NEW, headersPresent];

/**
 * The matrix keeps each empty cell's prediction under the key of what it is made of (issue 11:
 * an expanded series re-ran every prediction, a fifth of the page's CPU). Kept answers equal
 * fresh ones, and a replaced footprint is seen at once.
 */
describe.skipIf(!present)("kept matrix predictions", () => {
  const tag = uniqueTag();
  const mod = `memo-${tag}`;
  const ids = async () => {
    const [v] = await pgRead<{ id: number; version: string }>(`SELECT v.id, v.version FROM "ModuleVersion" v JOIN "Module" m ON m.id = v."moduleId" WHERE m.slug = $1`, [mod]);
    const [k] = await pgRead<{ id: number; version: string }>(`SELECT id, version FROM "Kernel" WHERE version = $1`, [NEW.replace("/usr/src/linux-headers-", "")]);
    return { versions: [v], kernels: [k] };
  };
  const footprint = (symbols: string[]) => ({ symbols, headers: ["linux/module.h"], includes: [], references: symbols, licences: ["GPL"], importedNamespaces: [] });
  const predict = async () => predictMatrixCells({ ...(await ids()), module: mod, filled: () => false });

  beforeAll(async () => {
    await importKernelApi({ dir: OLD });
    await importKernelApi({ dir: NEW });
    await recordResults({
      run: { source: `memo-${tag}`, id: "r1" },
      results: [
        result({ module: mod, moduleVersion: "1.0", kernel: "6.1.0-56-amd64", footprint: footprint(["__class_create", "vmalloc"]) }),
        // the target kernel exists (with another module's result), the module has none on it
        result({ module: `${mod}-other`, moduleVersion: "1.0", kernel: "6.12.107+deb12-amd64" }),
      ],
    });
  });

  it("answers the same kept as fresh, and keeps it", async () => {
    forgetCellPredictions();
    const fresh = [...(await predict()).values()];
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatchObject({ outcome: "fail", footprintKernel: "6.1.0-56-amd64" });
    expect(fresh[0].label).toMatch(/__class_create removed/);
    expect(cellPredictionsKept()).toBe(1);
    expect([...(await predict()).values()]).toEqual(fresh);
    expect(cellPredictionsKept()).toBe(1);
  });

  it("predicts again from a replaced footprint", async () => {
    const before = [...(await predict()).values()];
    expect(before[0].label).toMatch(/__class_create/);
    await recordResults({
      run: { source: `memo-${tag}`, id: "r2" },
      results: [result({ module: mod, moduleVersion: "1.0", kernel: "6.1.0-56-amd64", footprint: footprint(["vmalloc"]) })],
    });
    const after = [...(await predict()).values()];
    expect(after.map((p) => p.label).join()).not.toMatch(/__class_create/);
    forgetCellPredictions();
    expect([...(await predict()).values()]).toEqual(after);
  });
});
