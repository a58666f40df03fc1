import { beforeAll, describe, expect, it } from "vitest";
import { GET as compareRoute } from "@/app/api/v1/kernels/compare/route";
import { db } from "@/lib/db/client";
import { compareResponseSchema } from "@/lib/schemas/kernel-api";
import { importKernelApi } from "@/lib/services/kernel-api/import-kernel-api";
import { predictForModule } from "@/lib/services/predictions/predict-for-module";
import { recordResults } from "@/lib/services/record-results";
import { expectError, get, HEADERS_NEW, HEADERS_OLD, headersPresent, result, uniqueTag } from "./helpers";

// Real Debian header packages (helpers.ts).
const [OLD, NEW, present] = [HEADERS_OLD, HEADERS_NEW, headersPresent];

describe.skipIf(!present)("kernel API snapshots, compare and blast radius (real headers)", () => {
  const tag = uniqueTag();
  const mod = `fp-${tag}`;
  beforeAll(async () => {
    await importKernelApi({ dir: OLD });
    await importKernelApi({ dir: NEW });
    // a footprint as the runner records it: strlcpy called (inlined), __class_create imported, asm/unaligned.h included
    await recordResults({
      run: { source: `fp-${tag}`, id: "r1" },
      results: [
        result({
          module: mod,
          moduleVersion: "1.0",
          kernel: "6.1.0-56-amd64",
          footprint: { symbols: ["__class_create", "kmalloc_trace", "vmalloc"], headers: ["asm/unaligned.h", "linux/module.h"], includes: ["asm/unaligned.h"], references: ["strlcpy", "__class_create", "vmalloc"], licences: ["GPL"], importedNamespaces: [] },
        }),
      ],
    });
  });

  it("import measured the real package: ~25k symbols, ~6k headers, strlcpy exported by 6.1 only", async () => {
    const rows = await db().kernelApi.findMany({ where: { kernel: { in: ["6.1.0-56-amd64", "6.12.107+deb12-amd64"] } }, select: { kernel: true, symbolCount: true, headerCount: true } });
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.symbolCount).toBeGreaterThan(20_000);
      expect(r.headerCount).toBeGreaterThan(5_000);
    }
    const again = await importKernelApi({ dir: OLD });
    expect(again.unchanged).toBe(true);
  });

  it("GET /api/v1/kernels/compare lists strlcpy as removed, with the module version that calls it", async () => {
    const res = await get(compareRoute, "/api/v1/kernels/compare?from=6.1.0-56-amd64&to=6.12.107%2Bdeb12-amd64&used=1");
    expect(res.status).toBe(200);
    const body = compareResponseSchema.parse(await res.json());
    const strlcpy = body.removedSymbols.find((s) => s.name === "strlcpy");
    expect(strlcpy?.usedBy).toContainEqual({ module: mod, version: "1.0", via: "calls", kernel: "6.1.0-56-amd64" });
    expect(body.removedSymbols.find((s) => s.name === "__class_create")?.usedBy).toContainEqual(expect.objectContaining({ module: mod, via: "imports" }));
    // vmalloc: no longer exported by 6.12, but a macro of its headers (vmalloc_noprof)
    const vmalloc = body.removedSymbols.find((s) => s.name === "vmalloc");
    expect(vmalloc?.stillCallable).toBe(true);
    // kmalloc_trace: imported, never named by the sources (6.1's kmalloc() inline emits it): not counted
    expect(body.removedSymbols.find((s) => s.name === "kmalloc_trace")?.usedBy).toContainEqual(expect.objectContaining({ module: mod, via: "emitted" }));
    expect(body.removedHeaders.find((h) => h.path === "asm/unaligned.h")?.usedBy).toContainEqual(expect.objectContaining({ module: mod, via: "includes" }));
    expect(body.affected).toContainEqual({ module: mod, version: "1.0", removed: ["__class_create", "strlcpy", "asm/unaligned.h"], changed: [] });
    expect(body.counts.removedSymbols).toBeGreaterThan(500);
    expect(body.counts.addedSymbols).toBeGreaterThan(1000);
  });

  it.each([
    ["/api/v1/kernels/compare?from=6.1.0-56-amd64", 422, "validation_failed"],
    ["/api/v1/kernels/compare?from=6.1%2F..&to=6.12.107%2Bdeb12-amd64", 422, "validation_failed"],
    ["/api/v1/kernels/compare?from=6.1.0-56-amd64&to=6.1.0-56-amd64", 422, "validation_failed"],
    ["/api/v1/kernels/compare?from=6.1.0-56-amd64&to=6.12.107%2Bdeb12-amd64&limit=99999", 422, "validation_failed"],
    ["/api/v1/kernels/compare?from=6.1.0-56-amd64&to=6.12.107%2Bdeb12-amd64&bogus=1", 422, "validation_failed"],
    ["/api/v1/kernels/compare?from=6.1.0-56-amd64&to=6.12.999%2Bdeb12-amd64", 404, "not_found"],
  ])("%s → %i", async (url, status, code) => {
    await expectError(await get(compareRoute, url), status, code);
  });

  it("predicts the module on 6.12 from its 6.1 footprint: likely broken, naming the symbol", async () => {
    const p = await predictForModule({ module: mod, version: "1.0", kernel: "6.12.107+deb12-amd64" });
    expect(p.prediction.outcome).toBe("fail");
    expect(p.prediction.summary).toMatch(/__class_create removed/);
    expect(p.footprintKernel).toBe("6.1.0-56-amd64");
  });
});
