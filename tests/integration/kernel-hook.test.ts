import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveCheck } from "./serve-check";
import { recordResults } from "@/lib/services/record-results";
import { result } from "./helpers";

const root = path.resolve(import.meta.dirname, "../..");
const HOOK = path.join(root, "contrib/kernel-hook/zz-modcompat");
const APT_HOOK = path.join(root, "contrib/kernel-hook/apt-pre-install");
const KERNEL = "6.12.107+deb12-amd64";

let server: { url: string; server: Server };
let dir: string;
let bin: string;
let n = 0;

const DKMS = {
  works: "hook-good/1.0.0, 6.1.0-56-amd64, x86_64: installed\n",
  broken: "hook-good/1.0.0, 6.1.0-56-amd64, x86_64: installed\nhook-bad/1.0.0, 6.1.0-56-amd64, x86_64: installed\n",
  unknown: "hook-good/1.0.0, 6.1.0-56-amd64, x86_64: installed\nhook-new/1.0.0: added\n",
};

interface HookRun {
  code: number;
  stderr: string;
}

/**
 * Run a hook as the kernel package would, with a fake `dkms` first in PATH that prints `dkms`,
 * and a config file written from `config`.
 */
function runHook(opts: { dkms?: string; config: Record<string, string>; env?: Record<string, string>; script?: string; args?: string[]; stdin?: string }): Promise<HookRun> {
  const id = ++n;
  const config = path.join(dir, `modcompat-${id}`);
  writeFileSync(config, Object.entries({ MODCOMPAT_SERVER: server.url, ...opts.config }).map(([k, v]) => `${k}="${v}"`).join("\n") + "\n");
  const output = path.join(dir, `dkms-output-${id}`);
  if (opts.dkms !== undefined) writeFileSync(output, opts.dkms);
  const PATH = opts.dkms === undefined ? `${path.join(dir, "no-dkms")}:/usr/bin:/bin` : `${bin}:/usr/bin:/bin`;
  return new Promise((resolve) => {
    const child = execFile(
      opts.script ?? HOOK,
      opts.args ?? [KERNEL, `/boot/vmlinuz-${KERNEL}`],
      { env: { NODE_ENV: "test", PATH, MODCOMPAT_CONFIG: config, FAKE_DKMS_OUTPUT: output, ...opts.env }, encoding: "utf8", timeout: 60_000 },
      (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr }),
    );
    // A hook that has nothing to do exits without reading stdin; writing to it then fails with
    // EPIPE, which is the hook's right, not an error of the test.
    child.stdin?.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") throw e;
    });
    child.stdin?.end(opts.stdin ?? "");
  });
}

beforeAll(async () => {
  const r = (module: string, kernel: string, status: "pass" | "fail") =>
    result({ module, kernel, status, ...(status === "fail" ? { errorLine: "implicit declaration of function 'strlcpy'" } : {}) });
  await recordResults({
    run: { source: "kernel-hook-test", id: `fixture-${Date.now()}` },
    results: [
      r("hook-good", "6.1.0-56-amd64", "pass"),
      r("hook-good", KERNEL, "pass"),
      r("hook-bad", "6.1.0-56-amd64", "pass"),
      r("hook-bad", KERNEL, "fail"),
      r("hook-new", "6.1.0-56-amd64", "pass"),
    ],
  });
  server = await serveCheck();
  dir = mkdtempSync(path.join(tmpdir(), "kernel-hook-"));
  bin = path.join(dir, "bin");
  mkdirSync(bin);
  // The fake dkms: `dkms status` prints the file named by FAKE_DKMS_OUTPUT.
  writeFileSync(path.join(bin, "dkms"), '#!/bin/sh\n[ "$1" = status ] || { echo "fake dkms: only status" >&2; exit 2; }\ncat "$FAKE_DKMS_OUTPUT"\n');
  // The CLI as a sysadmin would install it: a `modcompat` command.
  writeFileSync(path.join(bin, "modcompat"), `#!/bin/sh\nexec "${process.execPath}" "${path.join(root, "bin/modcompat.mjs")}" "$@"\n`);
  chmodSync(path.join(bin, "dkms"), 0o755);
  chmodSync(path.join(bin, "modcompat"), 0o755);
});

afterAll(async () => {
  await new Promise((resolve) => server?.server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe.concurrent("contrib/kernel-hook/zz-modcompat", () => {
  it("warn mode: a broken module is reported, the kernel installs", async () => {
    const run = await runHook({ dkms: DKMS.broken, config: { MODCOMPAT_MODE: "warn" } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/hook-bad.*✗ broken/);
    expect(run.stderr).toContain("strlcpy");
    expect(run.stderr).toContain(`WARNING: some DKMS module is broken or unsupported on it (see above); kernel ${KERNEL} is installed anyway`);
  });

  it("refuse mode: a broken module stops the installation", async () => {
    const run = await runHook({ dkms: DKMS.broken, config: { MODCOMPAT_MODE: "refuse" } });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`REFUSING to install kernel ${KERNEL}`);
  });

  it("refuse mode: all modules work, the kernel installs", async () => {
    const run = await runHook({ dkms: DKMS.works, config: { MODCOMPAT_MODE: "refuse" } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("every DKMS module works or likely works");
  });

  it("refuse mode: an unknown module passes unless configured otherwise", async () => {
    const lenient = await runHook({ dkms: DKMS.unknown, config: { MODCOMPAT_MODE: "refuse" } });
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(lenient.stderr).toContain("has no verdict");
    const strict = await runHook({ dkms: DKMS.unknown, config: { MODCOMPAT_MODE: "refuse", MODCOMPAT_REFUSE_UNKNOWN: "yes" } });
    expect(strict.code, strict.stderr).toBe(1);
  });

  it("an unreachable server never blocks, unless configured to", async () => {
    const closed = "http://127.0.0.1:9";
    const lenient = await runHook({ dkms: DKMS.broken, config: { MODCOMPAT_MODE: "refuse", MODCOMPAT_SERVER: closed } });
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(lenient.stderr).toContain("cannot reach the ModCompat server");
    expect(lenient.stderr).toContain("going on without the check");
    const strict = await runHook({ dkms: DKMS.broken, config: { MODCOMPAT_MODE: "refuse", MODCOMPAT_SERVER: closed, MODCOMPAT_ON_ERROR: "refuse" } });
    expect(strict.code, strict.stderr).toBe(1);
  });

  it("a missing CLI is an error of the check, not a verdict", async () => {
    const run = await runHook({ dkms: DKMS.broken, config: { MODCOMPAT_MODE: "refuse", MODCOMPAT_CLI: "no-such-modcompat" } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('the ModCompat CLI "no-such-modcompat" was not found');
  });

  it("MODCOMPAT_MODE in the environment overrides the file", async () => {
    const run = await runHook({ dkms: DKMS.broken, config: { MODCOMPAT_MODE: "refuse" }, env: { MODCOMPAT_MODE: "warn" } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("installed anyway");
  });

  it("off, no dkms, no version: nothing to do", async () => {
    expect((await runHook({ dkms: DKMS.broken, config: { MODCOMPAT_MODE: "off" } })).code).toBe(0);
    const noDkms = await runHook({ config: { MODCOMPAT_MODE: "refuse" } });
    expect(noDkms.code).toBe(0);
    expect(noDkms.stderr).toContain("dkms is not installed");
    const noVersion = await runHook({ dkms: DKMS.broken, config: { MODCOMPAT_MODE: "refuse" }, args: [] });
    expect(noVersion.code).toBe(0);
    expect(noVersion.stderr).toContain("no kernel version given");
  });
});

describe.concurrent("contrib/kernel-hook/apt-pre-install", () => {
  const debs = (...names: string[]) => names.map((d) => `/var/cache/apt/archives/${d}`).join("\n") + "\n";

  it("runs the hook for each kernel image apt is about to install", async () => {
    const run = await runHook({
      script: APT_HOOK,
      args: [],
      dkms: DKMS.broken,
      config: { MODCOMPAT_MODE: "refuse" },
      env: { MODCOMPAT_HOOK: HOOK },
      stdin: debs("linux-image-amd64_6.12.107-1_amd64.deb", `linux-image-${KERNEL}_6.12.107-1_amd64.deb`, "curl_7.88.1-10_amd64.deb"),
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`REFUSING to install kernel ${KERNEL}`);
    expect(run.stderr.match(/checking this machine's DKMS modules/g)).toHaveLength(1);
  });

  it("leaves transactions without a kernel image alone", async () => {
    const run = await runHook({
      script: APT_HOOK,
      args: [],
      dkms: DKMS.broken,
      config: { MODCOMPAT_MODE: "refuse" },
      env: { MODCOMPAT_HOOK: HOOK },
      stdin: debs("linux-image-amd64_6.12.107-1_amd64.deb", `linux-image-${KERNEL}-dbg_6.12.107-1_amd64.deb`, "curl_7.88.1-10_amd64.deb"),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
  });
});
