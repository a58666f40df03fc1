import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postBody } from "@/lib/runner/report";
import { decodeTextInput, printable } from "@/lib/cli/text-input";
import { serveCheck } from "./serve-check";

/**
 * Issue 11, defect 10 and 11: `modcompat check` fails closed on binary or undecodable input
 * (exit 3, a clear message, no control bytes echoed), and `build --server` retries with back-off
 * and a timeout.
 */
const root = path.resolve(import.meta.dirname, "../..");
const KERNEL = "6.12.107+deb12-amd64";
let server: { url: string; server: Server };
let dir: string;

function cli(args: string[], env: Record<string, string | undefined> = {}, stdin?: Buffer): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [path.join(root, "bin/modcompat.mjs"), "check", ...args],
      { cwd: root, env: { ...process.env, MODCOMPAT_SERVER: undefined, DATABASE_URL: undefined, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
    if (stdin) child.stdin!.end(stdin);
  });
}

beforeAll(async () => {
  server = await serveCheck();
  dir = mkdtempSync(path.join(tmpdir(), "cli-closed-"));
});
afterAll(async () => {
  await new Promise((resolve) => server?.server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const CONTROL_OUT = /[\x00-\x08\x0b-\x1f\x7f]/;

describe.concurrent("modcompat check --dkms-status refuses what is not text", () => {
  const cases: [string, Buffer][] = [
    ["an ELF binary", Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64, 0), Buffer.from("\x1b[2J\x1b]0;pwned\x07")])],
    ["latin-1 text", Buffer.from("zfs/2.2.4, 6.1.0-56-amd64, x86_64: install\xe9\n", "latin1")],
    ["text with terminal escapes", Buffer.from("zfs/2.2.4, 6.1.0-56-amd64, x86_64: installed\n\x1b[31mred\x1b[0m\n")],
    ["a NUL in the middle", Buffer.from("zfs/2.2.4, 6.1.0-56-amd64\0, x86_64: installed\n")],
  ];
  for (const [name, bytes] of cases) {
    it(`${name}: exit 3, a clear message, no control byte echoed`, async () => {
      const f = path.join(dir, `${name.replace(/\W+/g, "-")}.bin`);
      writeFileSync(f, bytes);
      const run = await cli(["--kernel", KERNEL, "--server", server.url, "--dkms-status", f]);
      expect(run.code, run.stdout + run.stderr).toBe(3);
      expect(run.stderr).toMatch(/is not the output of `dkms status`: it (is not UTF-8 text|contains binary data)/);
      expect(CONTROL_OUT.test(run.stdout + run.stderr.replaceAll("\n", ""))).toBe(false);
    });
  }

  it("also from standard input and from a dkms that prints binary", async () => {
    const run = await cli(["--kernel", KERNEL, "--server", server.url, "--dkms-status", "-"], {}, Buffer.from([0, 1, 2, 0xff, 0xfe]));
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("standard input");
    const bin = mkdtempSync(path.join(dir, "bin-"));
    writeFileSync(path.join(bin, "dkms"), `#!/bin/sh\nprintf 'zfs/2.2.4\\000\\033[2J\\n'\n`);
    chmodSync(path.join(bin, "dkms"), 0o755);
    const viaDkms = await cli(["--kernel", KERNEL, "--server", server.url], { PATH: `${bin}:${process.env.PATH}` });
    expect(viaDkms.code, viaDkms.stderr).toBe(3);
    expect(CONTROL_OUT.test(viaDkms.stdout + viaDkms.stderr.replaceAll("\n", ""))).toBe(false);
  });

  it("the pieces", () => {
    expect(decodeTextInput(Buffer.from("zfs/2.2.4, 6.1.0-56-amd64, x86_64: installed\r\n\tok"))).toMatchObject({ ok: true });
    expect(decodeTextInput(Buffer.from([0x61, 0x62, 0xff]))).toEqual({ ok: false, reason: "it is not UTF-8 text (invalid byte 0xff at offset 2)" });
    expect(printable("a\x1b[31mb\x07")).toBe("a\\x1b[31mb\\x07");
  });
});

describe("postBody retries with back-off and a timeout", () => {
  async function serve(handler: (n: number, res: ServerResponse) => void) {
    let n = 0;
    const s = createServer((req, res) => {
      req.resume();
      req.on("end", () => handler(++n, res));
    });
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, count: () => n, close: () => new Promise((r) => s.close(r)) };
  }
  const body = { run: { source: "s", id: "r" }, results: [{ module: "m", moduleVersion: "1", kernel: "6.1", arch: "x86_64", stage: "build" as const, status: "pass" as const }] };

  it("503 with Retry-After, then 201: one acknowledged batch", async () => {
    const s = await serve((n, res) => {
      if (n < 3) res.writeHead(503, { "retry-after": "0", "content-type": "application/json" }).end('{"error":{"code":"unavailable","message":"x"}}');
      else res.writeHead(201, { "content-type": "application/json" }).end('{"replayed":false}');
    });
    const out = await postBody(s.url, "t", body, { backoffMs: 10 });
    expect(out).toMatchObject({ ok: true, status: 201 });
    expect(s.count()).toBe(3);
    await s.close();
  });

  it("a 4xx is final: no retry", async () => {
    const s = await serve((_, res) => res.writeHead(422, { "content-type": "application/json" }).end('{"error":{"code":"validation_failed","message":"x"}}'));
    const out = await postBody(s.url, "t", body, { backoffMs: 10 });
    expect(out.status).toBe(422);
    expect(s.count()).toBe(1);
    await s.close();
  });

  it("a server that never answers: each attempt times out, then a clear error", async () => {
    const s = await serve(() => {
      /* never answers */
    });
    const t0 = Date.now();
    await expect(postBody(s.url, "t", body, { attempts: 2, timeoutMs: 200, backoffMs: 10 })).rejects.toThrow(/no answer after 2 attempts \(timeout\)/);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(s.count()).toBe(2);
    s.close();
  });
});
