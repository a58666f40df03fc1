import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getUpstreamRemoval } from "@/lib/services/kernel-api/get-upstream-removal";
import { loadSnapshotFiles } from "@/lib/services/kernel-api/load-snapshot-files";
import { KERNEL_API_DIR } from "@/lib/services/load-demo";

// The committed demo snapshots: the newest 6.1 (bookworm), the oldest 6.12 (bookworm-backports),
// an rt kernel (which still has strlcpy) and the newest kernel.
const KERNELS = ["5.10.0-46-amd64", "6.1.0-57-amd64", "6.1.0-56-rt-amd64", "6.12.95+deb12-amd64", "6.12.107+deb12-cloud-amd64", "7.3.4+deb13-amd64"];

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "kapi-removal-"));
  for (const k of KERNELS) copyFileSync(path.join(KERNEL_API_DIR, `${k}.txt.gz`), path.join(dir, `${k}.txt.gz`));
  await loadSnapshotFiles(dir);
}, 120_000);

describe("getUpstreamRemoval (signature pages: where the symbol went away upstream)", () => {
  it("strlcpy (removed upstream in Linux 6.8): between the newest 6.1 snapshot and the oldest 6.12 one, rt kernels aside", async () => {
    const r = await getUpstreamRemoval({ symbol: "strlcpy", kind: "function" });
    expect(r).toMatchObject({ removedIn: "6.12", after: "6.1", exact: false, firstWithout: "6.12.95+deb12-amd64", lastWith: "6.1.0-57-amd64" });
    expect(r!.snapshots).toBeGreaterThanOrEqual(4);
    // kept: the same answer while the snapshots stay the same
    expect(await getUpstreamRemoval({ symbol: "strlcpy", kind: "symbol" })).toEqual(r);
  });

  it("a header: asm/unaligned.h went away by 6.12", async () => {
    expect(await getUpstreamRemoval({ symbol: "asm/unaligned.h", kind: "header" })).toMatchObject({ removedIn: "6.12", after: "6.1", lastWith: "6.1.0-57-amd64" });
  });

  it("null for a symbol still exported, one never exported, and kinds the snapshots do not list", async () => {
    expect(await getUpstreamRemoval({ symbol: "kfree", kind: "function" })).toBeNull();
    expect(await getUpstreamRemoval({ symbol: "no_such_symbol_xyz", kind: "function" })).toBeNull();
    expect(await getUpstreamRemoval({ symbol: "struct block_device::bd_inode", kind: "member" })).toBeNull();
  });
});
