import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as importJunitRoute } from "@/app/api/v1/import/junit/route";
import { POST as importKcidbRoute } from "@/app/api/v1/import/kcidb/route";
import { newToken, uniqueAbi, uniqueTag } from "./helpers";
import { namedMatrix } from "./second-db";

const tag = uniqueTag();
const K = `6.1.0-${uniqueAbi()}-amd64`;
const dir = mkdtempSync(path.join(tmpdir(), "modcompat-cli-import-"));
let token: string;
let server: Server;
let url: string;

/** Asynchronous on purpose: the server answering the CLI lives in this process. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("node", ["bin/modcompat.mjs", ...args], { env: { ...process.env, MODCOMPAT_TOKEN: token }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  token = await newToken(`cli-import-${tag}`);
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) });
    const handler = req.url!.startsWith("/api/v1/import/kcidb") ? importKcidbRoute : importJunitRoute;
    const response = await handler(request, { params: Promise.resolve({}) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("npx modcompat import", () => {
  it("junit FILE posts the report; the query options fill what the report lacks; exit 0", async () => {
    const mod = `cj-${tag}`;
    const file = path.join(dir, "report.xml");
    writeFileSync(file, `<testsuite name="s"><testcase name="build" time="1"/><testcase name="load"><failure message="Unknown symbol foo"/></testcase></testsuite>`);
    // A source of its own: the default source "junit" belongs to the first token that used it (issue 11's ownership).
    const run = await cli(["import", "junit", file, "--server", url, "--module", mod, "--version", "1.0", "--kernel", K, "--arch", "x86_64", "--stage", "load", "--source", `junit-${tag}`]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/HTTP 201/);
    expect((await namedMatrix(mod)).map((c) => c.status)).toEqual(["fail"]);
  });

  it("kcidb FILE: a document the server refuses exits 3 and shows why", async () => {
    const file = path.join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ version: { major: 5 }, builds: [{ id: "x:1", checkout_id: "x:c", origin: "x", status: "PASS" }] }));
    const run = await cli(["import", "kcidb", file, "--server", url]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/HTTP 422/);
    expect(run.stdout).toContain("builds[id=x:1]");
  });
});
