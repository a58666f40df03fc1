/**
 * `modcompat plan` and `modcompat build --shard` agree: each part the runner builds is exactly the
 * plan's entries of that part, and the parts together are the plan. Real CLI processes; kernels
 * whose headers are not installed, so each build ends at once as an `error` result (no compiler).
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Plan } from "@/lib/runner/plan";
import type { IngestBody } from "@/lib/schemas/ingest";

const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "modcompat-shard-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, "bin/modcompat.mjs"), ...args], { cwd: root, timeout: 120_000, maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

function dkmsTree(name: string, version: string): string {
  const d = path.join(dir, `${name}-${version}`);
  mkdirSync(d, { recursive: true });
  writeFileSync(path.join(d, "dkms.conf"), `PACKAGE_NAME="${name}"\nPACKAGE_VERSION="${version}"\nBUILT_MODULE_NAME[0]="${name}"\nDEST_MODULE_LOCATION[0]="/updates"\n`);
  return d;
}

describe("plan and build --shard", () => {
  it("build --shard i/3 builds exactly part i of `plan --shards 3`, and the parts are the plan", async () => {
    const modules = [dkmsTree("zfs", "2.2.4"), dkmsTree("v4l2loopback", "0.12.7"), dkmsTree("evdi", "1.14.1")];
    const kernels = ["6.1.0-991-amd64", "6.1.0-992-amd64", "6.12.991+deb12-amd64"];
    const args = [...modules.flatMap((m) => ["--module", m]), ...kernels.flatMap((k) => ["--kernel", k])];
    const planRun = await cli(["plan", ...args, "--shards", "3"]);
    expect(planRun.code, planRun.stderr).toBe(0);
    const plan = JSON.parse(planRun.stdout) as Plan;
    expect(plan.entries).toHaveLength(9);
    const key = (e: { module: string; version: string; kernel: string }) => `${e.module} ${e.version} ${e.kernel}`;
    const built: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const out = path.join(dir, `part${i}.json`);
      const run = await cli(["build", "-q", ...modules.flatMap((m) => ["--module", m]), ...kernels.flatMap((k) => ["--kernel", k]), "--shard", `${i}/3`, "--out", out, "--tmp-dir", dir]);
      expect(run.code, run.stderr).toBe(0);
      const body = JSON.parse(readFileSync(out, "utf8")) as IngestBody;
      const mine = body.results.map((r) => key({ module: r.module, version: r.moduleVersion, kernel: r.kernel })).sort();
      expect(mine).toEqual(plan.entries.filter((e) => e.shard === i).map(key).sort());
      built.push(...mine);
    }
    expect(built.sort()).toEqual(plan.entries.map(key).sort());
    // the three OpenZFS builds, the costliest, went to three different parts
    expect(new Set(plan.entries.filter((e) => e.module === "zfs").map((e) => e.shard)).size).toBe(3);
  });

  it("refuses a malformed shard with exit 3", async () => {
    const run = await cli(["build", "--module", dkmsTree("x", "1"), "--kernel", "6.1.0-991-amd64", "--shard", "4/3"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/i must be between 1 and n/);
  });
});
