import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { splitCallables } from "@/lib/domain/kernel-api";
import { apiViewOf, apiViewsKept, forgetApiViews } from "@/lib/services/kernel-api/api-view-cache";
import { loadKernelApi } from "@/lib/services/kernel-api/load-kernel-api";
import { loadSnapshotFiles } from "@/lib/services/kernel-api/load-snapshot-files";
import { KERNEL_API_DIR } from "@/lib/services/load-demo";

const KERNEL = "6.12.107+deb12-amd64";

describe("snapshot views (lib/services/kernel-api/api-view-cache.ts)", () => {
  it("answer every lookup of a real snapshot as its decoded lists do, and are made once for concurrent requests", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kapi-view-"));
    copyFileSync(path.join(KERNEL_API_DIR, `${KERNEL}.txt.gz`), path.join(dir, `${KERNEL}.txt.gz`));
    await loadSnapshotFiles(dir, "data/demo/kernel-api");
    forgetApiViews();

    const [view, again] = await Promise.all([apiViewOf(KERNEL), apiViewOf(KERNEL)]);
    expect(view).not.toBeNull();
    expect(again).toBe(view);
    expect(apiViewsKept().views).toBe(1);
    expect(await apiViewOf(KERNEL)).toBe(view);

    const snap = (await loadKernelApi(KERNEL))!;
    const { names, arities, functionArities } = splitCallables(snap.callables);
    expect(snap.symbols.length).toBeGreaterThan(20_000);
    for (const s of snap.symbols) expect(view!.symbols.get(s.name)).toEqual(s);
    for (const h of snap.headers) expect(view!.headers.has(h)).toBe(true);
    for (const n of names) expect(view!.callables.has(n)).toBe(true);
    for (const [n, set] of arities) expect([...view!.macroArities.get(n)!].sort()).toEqual([...set].sort());
    for (const [n, set] of functionArities) expect([...view!.functionArities.get(n)!].sort()).toEqual([...set].sort());
    // near misses: every name and header with its last character dropped or one added
    const symbolNames = new Set(snap.symbols.map((s) => s.name));
    const headers = new Set(snap.headers);
    for (const n of [...symbolNames].slice(0, 3000).flatMap((x) => [x.slice(0, -1), `${x}_`])) {
      expect(view!.symbols.has(n)).toBe(symbolNames.has(n));
      expect(view!.callables.has(n)).toBe(names.has(n));
      expect(view!.macroArities.has(n)).toBe(arities.has(n));
      expect(view!.functionArities.has(n)).toBe(functionArities.has(n));
    }
    for (const h of snap.headers.flatMap((x) => [x.slice(0, -1), `${x}x`])) expect(view!.headers.has(h)).toBe(headers.has(h));
    expect(await apiViewOf("no-such-kernel")).toBeNull();
  });
});
