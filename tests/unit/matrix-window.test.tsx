import { describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import { MATRIX_PAGE_LIMITS, matrixWindow } from "@/lib/domain/matrix-window";
import type { MatrixPageView } from "@/lib/services/get-matrix-page";
import { MatrixTable } from "@/app/modules/[slug]/MatrixTable";
import { AppRouterContext, type AppRouterInstance } from "next/dist/shared/lib/app-router-context.shared-runtime";

// The matrix grid is a client component that navigates with the App Router; server rendering it
// outside Next needs a router in context (never called while rendering).
const router = {} as AppRouterInstance;

describe("matrixWindow: what one matrix page draws", () => {
  const L = MATRIX_PAGE_LIMITS;
  it.each([
    // versions, series, expanded kernels → rows, columns, capped
    [5, 3, 0, 5, 0, false],
    [37, 14, 14, 37, 14, false],
    [38, 40, 5032, 38, 150, true],
    [100, 40, 400, 100, 60, true],
    [1000, 40, 0, 150, 0, true],
    [1000, 400, 0, 30, 0, true],
    [1, 1, 10_000, 1, 150, true],
  ])("%i versions, %i series, %i expanded kernels → %i rows × %i columns", (versions, series, expandedKernels, rows, cols, capped) => {
    const w = matrixWindow({ versions, series, expandedKernels });
    expect({ rows: w.versionEnd - w.versionStart, cols: w.kernelEnd - w.kernelStart, capped: w.capped }).toEqual({ rows, cols, capped });
    expect(rows * cols).toBeLessThanOrEqual(L.maxBoxes);
    expect(rows * series).toBeLessThanOrEqual(Math.max(series, L.maxSummaryBoxes));
  });

  it("later windows start where asked and stay inside the data", () => {
    expect(matrixWindow({ versions: 38, series: 1, expandedKernels: 5032, kernelStart: 4990 })).toMatchObject({ kernelStart: 4990, kernelEnd: 5032, capped: true });
    expect(matrixWindow({ versions: 38, series: 1, expandedKernels: 5032, kernelStart: 9_999_999 })).toMatchObject({ kernelStart: 5031, kernelEnd: 5032 });
  });
});

/** The campaign's worst page: 38 versions × 5,032 kernels of one series, expanded (57 MB, 17–20 s before). */
function hugeView(): MatrixPageView {
  const versions = Array.from({ length: 38 }, (_, i) => ({ id: i + 1, version: `1.${38 - i}`, releasedAt: null, declaredKernelMin: null, declaredKernelMax: null }));
  const kernels = Array.from({ length: 5032 }, (_, i) => ({ id: 10_000 + i, version: `6.1.0-${i + 1}-amd64`, distro: "debian", flavour: "amd64" }));
  const cells = new Map(kernels.slice(0, 5000).map((k, i) => [`${(i % 38) + 1}:${k.id}`, "pass" as const]));
  const summary = Object.fromEntries(versions.map((v) => [v.id, { headline: "pass" as const, counts: { pass: 1, fail: 0, error: 0, skip: 0 }, total: 1 }]));
  return {
    module: { slug: "huge", name: "huge", description: null, homepage: null },
    query: { expand: ["6.1"] },
    options: { arches: ["x86_64"], distros: ["debian"], flavours: ["amd64"], series: ["6.1"] },
    versions,
    series: [{ series: "6.1", expanded: true, kernels, summary }],
    statusAt: (v: number, k: number) => cells.get(`${v}:${k}`),
  } as unknown as MatrixPageView;
}

describe("the matrix page of a 5,032-kernel module is bounded", () => {
  it("draws at most maxBoxes boxes, says so and offers the next window", () => {
    const t0 = performance.now();
    const html = renderToString(
      <AppRouterContext.Provider value={router}>
        <MatrixTable base="/modules/huge" view={hugeView()} current={{ expand: "6.1" }} />
      </AppRouterContext.Provider>,
    ).replaceAll("<!-- -->", "");
    const ms = performance.now() - t0;
    const boxes = (html.match(/<td/g) ?? []).length;
    expect(boxes).toBeLessThanOrEqual(MATRIX_PAGE_LIMITS.maxBoxes + 38);
    // Booleans, not toContain: a failure must not print a megabyte of HTML.
    expect(html.includes('data-testid="matrix-window"'), "the page says it is capped").toBe(true);
    expect(html.includes("expanded kernels 1–150 of 5,032"), "and what it shows").toBe(true);
    expect(html.includes("kstart=150"), "and links the next window").toBe(true);
    expect(html.length, "bytes").toBeLessThan(3_000_000);
    expect(ms).toBeLessThan(5_000);
  });
});
