/**
 * A real build environment: a bullseye chroot made with mmdebstrap (about a minute and 150 MB of
 * downloads), the Debian 11 kernel headers in it, and real DKMS builds inside it, chosen because
 * the headers want gcc 10 and the host has gcc 12. Needs root, mmdebstrap, dkms and the Debian
 * mirror; otherwise every test here reports itself skipped with the reason, never passed.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOne } from "../../lib/runner/build-one";
import { createEnvironment, hostMirror, kernelsIn, mountsUnder, removeEnvironment, type BuildEnvironment } from "../../lib/runner/environments";
import { resolveKernels } from "../../lib/runner/kernels";
import { resolveModules, type ModuleSource } from "../../lib/runner/sources";

const KERNEL = "5.10.0-32-amd64";
const FIXTURE = path.join(__dirname, "../fixtures/modules/mc-hello-0.1");

function has(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function whyNot(): Promise<string | null> {
  if (process.getuid?.() !== 0) return "not root (mmdebstrap and chroot need root)";
  for (const c of ["mmdebstrap", "dkms", "unshare"]) if (!has(c)) return `${c} is not installed`;
  try {
    const res = await fetch(`${hostMirror()}/dists/bullseye/InRelease`, { method: "HEAD", signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return `the Debian mirror answered ${res.status}`;
  } catch (e) {
    return `offline: the Debian mirror is unreachable (${e instanceof Error ? e.message : String(e)})`;
  }
  return null;
}

let reason: string | null = null;
let envsDir = "";
let env: BuildEnvironment | null = null;
let work = "";
const savedEnvsDir = process.env.MODCOMPAT_ENVS_DIR;

beforeAll(async () => {
  reason = await whyNot();
  if (reason) return;
  envsDir = mkdtempSync(path.join(os.tmpdir(), "mc-envs-"));
  chmodSync(envsDir, 0o755);
  work = mkdtempSync(path.join(os.tmpdir(), "mc-work-"));
  process.env.MODCOMPAT_ENVS_DIR = envsDir;
  env = await createEnvironment({ name: "t-bullseye", release: "bullseye", packages: [`linux-headers-${KERNEL}`] });
}, 900_000);

afterAll(async () => {
  if (envsDir && existsSync(path.join(envsDir, "t-bullseye"))) await removeEnvironment("t-bullseye").catch(() => {});
  if (envsDir) rmSync(envsDir, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
  if (savedEnvsDir === undefined) delete process.env.MODCOMPAT_ENVS_DIR;
  else process.env.MODCOMPAT_ENVS_DIR = savedEnvsDir;
});

async function source(dir: string): Promise<ModuleSource> {
  const [src] = await resolveModules([dir], { workRoot: work });
  if (src instanceof Error) throw src;
  return src;
}

describe("build environments (real chroot)", () => {
  it("creates a bullseye chroot with gcc 10, dkms and the 5.10 headers", (ctx) => {
    if (reason) ctx.skip(reason);
    expect(env).toMatchObject({ name: "t-bullseye", release: "bullseye", compiler: { family: "gcc", major: 10 } });
    expect(env!.dkms).toMatch(/dkms/);
    expect(kernelsIn(env!.root)).toContain(KERNEL);
    expect(existsSync(path.join(envsDir, "t-bullseye", "env.json"))).toBe(true);
  });

  it("chooses the chroot for the 5.10 kernel by its compiler, and reads the package's version and upload date", async (ctx) => {
    if (reason) ctx.skip(reason);
    const [t] = await resolveKernels({ kernels: [KERNEL], allInstalled: false });
    expect(t).toMatchObject({ kernel: KERNEL, release: KERNEL, headersPresent: true, env: { name: "t-bullseye" }, upstreamVersion: expect.stringMatching(/^5\.10\.\d+$/) });
    expect(t.compiler).toMatch(/^gcc .*10\./);
    expect(t.releasedAt).toMatch(/^20\d\d-\d\d-\d\dT/);
    expect(t.releasedAtSource).toMatch(/changelog\.Debian\.gz/);
  });

  it("builds a real module inside it and leaves no mount behind", async (ctx) => {
    if (reason) ctx.skip(reason);
    const [t] = await resolveKernels({ kernels: [KERNEL], allInstalled: false });
    const out = await buildOne(await source(FIXTURE), t, { arch: "x86_64", timeoutMs: 300_000, workRoot: work });
    expect(out.log).toMatch(/KERNELRELEASE=5\.10\.0-32-amd64[\s\S]*build completed/i);
    expect(out).toMatchObject({ status: "pass", env: "t-bullseye", kernel: KERNEL });
    expect(mountsUnder(envsDir)).toEqual([]);
    expect(existsSync(path.join(env!.root, "var/tmp/modcompat-builds"))).toBe(true);
  });

  it("kills a hanging build at its timeout, whole process group and mount namespace with it", async (ctx) => {
    if (reason) ctx.skip(reason);
    const hang = path.join(work, "mc-hang-0.1");
    cpSync(FIXTURE, hang, { recursive: true });
    writeFileSync(path.join(hang, "dkms.conf"), 'PACKAGE_NAME="mc-hang"\nPACKAGE_VERSION="0.1"\nBUILT_MODULE_NAME[0]="mc_hello"\nDEST_MODULE_LOCATION[0]="/updates/dkms"\nMAKE[0]="sleep 287.125"\nAUTOINSTALL="no"\n');
    const [t] = await resolveKernels({ kernels: [KERNEL], allInstalled: false });
    const started = Date.now();
    const out = await buildOne(await source(hang), t, { arch: "x86_64", timeoutMs: 8_000, workRoot: work });
    expect(out.status).toBe("error");
    expect(out.errorLine).toMatch(/time/i);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(mountsUnder(envsDir)).toEqual([]);
    expect(execFileSync("sh", ["-c", "pgrep -f '[s]leep 287.125' || true"], { encoding: "utf8" }).trim()).toBe("");
  });

  it("refuses to remove an environment with a mount in it, then removes it", async (ctx) => {
    if (reason) ctx.skip(reason);
    const target = path.join(env!.root, "mnt");
    execFileSync("mount", ["-t", "tmpfs", "tmpfs", target]);
    try {
      await expect(removeEnvironment("t-bullseye")).rejects.toThrow(/still has mounts/);
    } finally {
      execFileSync("umount", [target]);
    }
    await removeEnvironment("t-bullseye");
    expect(existsSync(path.join(envsDir, "t-bullseye"))).toBe(false);
  });
});
