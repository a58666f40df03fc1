import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { sourceScanFileSchema } from "@/lib/schemas/source-scan";
import { loadSourceScanFiles } from "@/lib/services/footprints/load-source-scan-files";
import { recordSourceScans } from "@/lib/services/footprints/record-source-scans";
import { loadSnapshotFiles } from "@/lib/services/kernel-api/load-snapshot-files";
import { DEMO_DIR, KERNEL_API_DIR, loadBody, readIngestFile, SOURCE_SCAN_DIR } from "@/lib/services/load-demo";
import { predictForModule } from "@/lib/services/predictions/predict-for-module";
import { uniqueTag } from "./helpers";

/**
 * The prototype index end to end, on the real demo: openrazer-driver 3.5.1 built on 5.10.0-44 (its
 * footprint, recorded when the runner kept upper-case calls only) and failed on 5.10.0-45 with
 * "too few arguments to function 'hid_report_raw_event'" (a Debian stable update added an argument).
 * Its package's source scan (data/demo/source-scans/) names the call with its 5 arguments; the two
 * kernels' committed snapshots declare it with 5 and 6.
 */
const tag = uniqueTag();
const mod = `openrazer-driver-${tag}`;
const KERNELS = ["5.10.0-44-amd64", "5.10.0-45-amd64"];

describe("source scans: the calls of a module's packaged sources, merged into its footprints", () => {
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kapi-scan-"));
    for (const k of KERNELS) copyFileSync(path.join(KERNEL_API_DIR, `${k}.txt.gz`), path.join(dir, `${k}.txt.gz`));
    await loadSnapshotFiles(dir);
    const bodies = readIngestFile(path.join(DEMO_DIR, "debian-wide-dkms.json"));
    const results = bodies.flatMap((b) => b.results).filter((r) => r.module === "openrazer-driver" && r.moduleVersion === "3.5.1" && r.kernel === KERNELS[0]);
    expect(results.map((r) => [r.status, !!r.footprint])).toEqual([["pass", true]]);
    await loadBody({ run: { ...bodies[0].run, id: `scan-${tag}` }, results: results.map((r) => ({ ...r, module: mod })) });
  });

  it("without the scan the footprint knows no lower-case call: the break is not seen", async () => {
    const p = await predictForModule({ module: mod, version: "3.5.1", kernel: KERNELS[1] });
    expect([p.footprintKernel, p.prediction.outcome]).toEqual([KERNELS[0], "pass"]);
  });

  it("with its package's scan, the changed arity of hid_report_raw_event is a predicted break", async () => {
    const file = sourceScanFileSchema.parse(JSON.parse(readFileSync(path.join(SOURCE_SCAN_DIR, "debian-dkms.json"), "utf8")));
    const scan = file.scans.find((s) => s.module === "openrazer-driver" && s.version === "3.5.1")!;
    expect(scan.source).toMatch(/^debian:openrazer-driver-dkms=3\.5\.1\+dfsg-2/);
    expect(scan.calls).toContain("hid_report_raw_event/5");
    expect(await recordSourceScans([{ ...scan, module: mod }])).toEqual({ stored: 1, unknownVersions: [] });
    const p = await predictForModule({ module: mod, version: "3.5.1", kernel: KERNELS[1] });
    expect([p.prediction.outcome, p.prediction.summary]).toEqual(["fail", "hid_report_raw_event takes other arguments"]);
    expect(p.prediction.reasons.map((r) => r.kind)).toContain("call-arity");
    const row = await db().sourceScan.findFirst({ where: { moduleVersion: { module: { slug: mod } } } });
    expect(row?.sourceDigest).toBe(scan.sourceDigest);
  });

  it("a scan of a module version the database does not know is skipped, never creating one", async () => {
    const r = await recordSourceScans([{ module: `nobody-${tag}`, version: "1.0", calls: ["f/1"], source: "dir:/x", sourceDigest: "0".repeat(64), files: 1 }]);
    expect(r).toEqual({ stored: 0, unknownVersions: [`nobody-${tag}@1.0`] });
    expect(await db().module.count({ where: { slug: `nobody-${tag}` } })).toBe(0);
  });

  it("the committed demo scans are valid and name one package per footprinted module version", async () => {
    const r = await loadSourceScanFiles(SOURCE_SCAN_DIR);
    expect(r.files).toBe(1);
    expect(r.stored + r.unknownVersions.length).toBe(66);
  });
});
