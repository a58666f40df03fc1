import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveCheck } from "./serve-check";
import { checkResponseSchema } from "@/lib/schemas/check";
import { recordResults } from "@/lib/services/record-results";
import { result } from "./helpers";

const root = path.resolve(import.meta.dirname, "../..");
const KERNEL = "6.12.107+deb12-amd64";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Asynchronous on purpose: the server answering the CLI lives in this process. */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, "bin/modcompat.mjs"), "check", ...args],
      { cwd: root, env: { ...process.env, MODCOMPAT_SERVER: undefined, DATABASE_URL: undefined, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

let server: { url: string; server: Server };
let dir: string;
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(async () => {
  const r = (module: string, kernel: string, status: "pass" | "fail", errorLine?: string) => result({ module, kernel, status, ...(errorLine ? { errorLine } : {}) });
  await recordResults({
    run: { source: "cli-check-test", id: `fixture-${Date.now()}` },
    results: [
      r("cli-good", "6.1.0-56-amd64", "pass"),
      r("cli-good", KERNEL, "pass"),
      r("cli-bad", "6.1.0-56-amd64", "pass"),
      r("cli-bad", KERNEL, "fail", "implicit declaration of function 'strlcpy'"),
      r("cli-new", "6.1.0-56-amd64", "pass"),
    ],
  });
  server = await serveCheck();
  dir = mkdtempSync(path.join(tmpdir(), "cli-check-"));
});

afterAll(async () => {
  await new Promise((resolve) => server?.server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe.concurrent("modcompat check: exit codes", () => {
  it("0 when every module works", async () => {
    const dkms = file("good.txt", `cli-good/1.0.0, 6.1.0-56-amd64, x86_64: installed\n`);
    const run = await cli(["--kernel", KERNEL, "--server", server.url, "--dkms-status", dkms]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/cli-good.*1\.0\.0.*✓ works/);
    expect(run.stdout).toContain(`OK: every module works or likely works on ${KERNEL} (x86_64)`);
    expect(run.stdout).toContain(`details: ${server.url}/check?kernel=6.12.107%2Bdeb12-amd64&module=cli-good%401.0.0&arch=x86_64`);
  });

  it("1 when one is broken, with the reason", async () => {
    const dkms = file("bad.txt", `cli-good, 1.0.0, 6.1.0-56-amd64, x86_64: installed\ncli-bad, 1.0.0, 6.1.0-56-amd64, x86_64: installed\n`);
    const run = await cli(["--kernel", KERNEL, "--server", server.url, "--dkms-status", dkms]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/cli-bad.*✗ broken/);
    expect(run.stdout).toContain("strlcpy");
    expect(run.stdout).toContain("BLOCKED");
  });

  it("2 when one is unknown and none broken", async () => {
    const dkms = file("unknown.txt", `cli-good/1.0.0, 6.1.0-56-amd64, x86_64: installed\ncli-new/1.0.0: added\n`);
    const run = await cli(["--kernel", KERNEL, "--server", server.url, "--dkms-status", dkms]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toMatch(/cli-new.*\? unknown/);
    expect(run.stdout).toContain("UNCERTAIN");
  });

  it("--json prints the API answer and keeps the exit code", async () => {
    const dkms = file("json.txt", `cli-bad/1.0.0, 6.1.0-56-amd64, x86_64: installed\n`);
    const run = await cli(["--kernel", KERNEL, "--server", server.url, "--dkms-status", dkms, "--json"]);
    expect(run.code).toBe(1);
    const out = checkResponseSchema.parse(JSON.parse(run.stdout));
    expect(out.modules[0]).toMatchObject({ module: "cli-bad", verdict: "broken", errorLine: "implicit declaration of function 'strlcpy'" });
  });

  it("--module without dkms, and MODCOMPAT_SERVER instead of --server", async () => {
    const run = await cli(["--kernel", KERNEL, "--dkms-status", "/dev/null", "--module", "cli-good@1.0.0", "cli-bad@1.0.0"], { MODCOMPAT_SERVER: server.url });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain("cli-good");
  });

  it("runs `dkms status` when no file is given", async () => {
    const bin = mkdtempSync(path.join(dir, "bin-"));
    writeFileSync(path.join(bin, "dkms"), `#!/bin/sh\n[ "$1" = status ] || exit 9\necho 'cli-bad/1.0.0, 6.1.0-56-amd64, x86_64: installed'\n`);
    chmodSync(path.join(bin, "dkms"), 0o755);
    const run = await cli(["--kernel", KERNEL, "--server", server.url], { PATH: `${bin}:${process.env.PATH}` });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain("cli-bad");
  });

  it("3 when dkms is missing", async () => {
    const run = await cli(["--kernel", KERNEL, "--server", server.url], { PATH: path.join(dir, "empty") });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("dkms is not installed");
  });

  it("3 when the server cannot be reached", async () => {
    const closed = await serveCheck();
    await new Promise((resolve) => closed.server.close(resolve));
    const run = await cli(["--kernel", KERNEL, "--server", closed.url, "--dkms-status", "/dev/null"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`cannot reach the ModCompat server at ${closed.url} (ECONNREFUSED)`);
  });

  it("3 when the server refuses the request", async () => {
    const run = await cli(["--kernel", KERNEL, "--server", server.url, "--dkms-status", "/dev/null", "--arch", "x86-64"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("the server refused the check (422 validation_failed)");
    expect(run.stderr).toContain("arch:");
  });

  it.each([
    [["--server", "http://127.0.0.1:9"], "--kernel <kver> is required"],
    [["--kernel", "banana"], 'cannot parse kernel version "banana"'],
    [["--kernel", KERNEL, "--dkms-status", "/no/such/file"], 'cannot read --dkms-status file "/no/such/file": ENOENT'],
    [["--kernel", KERNEL, "--server", "not a url", "--dkms-status", "/dev/null"], '--server: "not a url" is not a URL'],
  ])("3 on a usage error: %j", async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(message);
  });
});
