import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { GET as compareRoute } from "@/app/api/v1/kernels/compare/route";
import { db } from "@/lib/db/client";
import { compareResponseSchema } from "@/lib/schemas/kernel-api";
import { loadSnapshotFiles } from "@/lib/services/kernel-api/load-snapshot-files";
import { KERNEL_API_DIR, readIngestFile } from "@/lib/services/load-demo";
import { get } from "./helpers";

// The committed demo snapshots (modcompat kernel-api export), not the header packages of this machine.
const OLD = "6.1.0-56-amd64";
const NEW = "6.12.107+deb12-amd64";
const file = (k: string) => path.join(KERNEL_API_DIR, `${k}.txt.gz`);

describe("demo kernel API snapshots (data/demo/kernel-api)", () => {
  it("a snapshot exists for every kernel the demo's results name", () => {
    const kernels = new Set<string>();
    for (const f of ["debian12-dkms.json", "debian-wide-dkms.json", "footprints-bookworm-6.1.0-56.json"]) {
      for (const body of readIngestFile(path.join(KERNEL_API_DIR, "..", f))) for (const r of body.results) kernels.add(r.kernel);
    }
    expect([...kernels].filter((k) => !existsSync(file(k)))).toEqual([]);
  });

  it("the loader stores them with their provenance, idempotently; strlcpy is removed from 6.1.0-56 to 6.12.107 on them alone", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kapi-"));
    for (const k of [OLD, NEW]) copyFileSync(file(k), path.join(dir, `${k}.txt.gz`));
    await db().kernelApi.deleteMany({ where: { kernel: { in: [OLD, NEW] } } });

    const first = await loadSnapshotFiles(dir, "data/demo/kernel-api");
    expect(first).toMatchObject({ files: 2, stored: 2, unchanged: 0 });
    const rows = await db().kernelApi.findMany({ where: { kernel: { in: [OLD, NEW] } }, orderBy: { kernel: "asc" } });
    expect(rows.map((r) => r.kernel)).toEqual([OLD, NEW]);
    expect(rows[0].symbolCount).toBeGreaterThan(20_000);
    expect(rows[0].headerCount).toBeGreaterThan(5_000);
    expect(rows[0].callableCount).toBeGreaterThan(20_000);
    expect(rows[0].sourceDir).toMatch(/^data\/demo\/kernel-api\/6\.1\.0-56-amd64\.txt\.gz \(linux-headers-6\.1\.0-56-amd64 6\.1\.\d+-\d+, read from \/usr\/src\/linux-headers-6\.1\.0-56-amd64/);

    expect(await loadSnapshotFiles(dir)).toMatchObject({ files: 2, stored: 0, unchanged: 2 });

    const res = await get(compareRoute, "/api/v1/kernels/compare?from=6.1.0-56-amd64&to=6.12.107%2Bdeb12-amd64&limit=2000");
    expect(res.status).toBe(200);
    const body = compareResponseSchema.parse(await res.json());
    expect(body.removedSymbols.map((s) => s.name)).toContain("strlcpy");
    expect(body.removedHeaders.map((h) => h.path)).toContain("asm/unaligned.h");
  });

  it("a file whose content does not match its recorded sha256 is refused", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kapi-bad-"));
    const text = gunzipSync(readFileSync(file(OLD))).toString("utf8").replace("\nstrlcpy\t", "\nstrlcpz\t");
    writeFileSync(path.join(dir, `${OLD}.txt.gz`), gzipSync(text));
    await expect(loadSnapshotFiles(dir)).rejects.toThrow(/sha256/);
  });
});
