/**
 * The GitLab and Kubernetes recipes' own shell commands, run by a real `sh` with the variables the
 * engine would set, against the real ingest routes behind a local HTTP port: every part of the
 * plan arrives once, and a retried job (same variables again) reports nothing twice.
 * Modules are local dkms.conf trees and kernels have no headers, so builds end at once as errors.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GET as checkGet, POST as checkPost } from "@/app/api/v1/check/route";
import { GET as knownRoute } from "@/app/api/v1/results/known/route";
import { POST as resultsRoute } from "@/app/api/v1/results/route";
import { db } from "@/lib/db/client";
import { ingestBody, newToken, postResults, result, uniqueTag } from "./helpers";

const root = path.resolve(import.meta.dirname, "../..");
const tag = uniqueTag();
const dir = mkdtempSync(path.join(tmpdir(), "modcompat-recipes-"));
let server: Server;
let url: string;
let token: string;

function tree(name: string): string {
  const d = path.join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(path.join(d, "dkms.conf"), `PACKAGE_NAME="${name}"\nPACKAGE_VERSION="1.0"\nBUILT_MODULE_NAME[0]="${name}"\nDEST_MODULE_LOCATION[0]="/updates"\n`);
  return d;
}

/** `npx modcompat …` in the recipes runs bin/modcompat.mjs directly here: npx's own start-up costs 2–3 s a call. */
const shim = path.join(dir, "bin");
mkdirSync(shim);
writeFileSync(path.join(shim, "npx"), `#!/bin/sh\n[ "$1" = modcompat ] || exit 99\nshift\nexec "${process.execPath}" "${path.join(root, "bin/modcompat.mjs")}" "$@"\n`, { mode: 0o755 });

function sh(script: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    // The job's working directory: the recipes write results-*.json and logs/ there.
    execFile("sh", ["-ec", script], { cwd: dir, env: { ...process.env, ...env, PATH: `${shim}:${process.env.PATH}` }, timeout: 180_000, maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, out: stdout + stderr }),
    );
  });
}

beforeAll(async () => {
  token = await newToken(`recipes-${tag}`);
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
    const handler = req.url!.startsWith("/api/v1/results/known") ? knownRoute : req.url!.startsWith("/api/v1/check") ? (req.method === "POST" ? checkPost : checkGet) : resultsRoute;
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

const MODULES = () => [tree(`zfs-${tag}`), tree(`evdi-${tag}`), tree(`v4l2-${tag}`)].join(" ");
const KERNELS = "6.1.0-993-amd64 6.12.993+deb12-amd64";
const resultsOf = (source: string) => db().result.count({ where: { run: { source } } });

describe("CI recipes, run", () => {
  it("GitLab: the job's script for CI_NODE_INDEX 1..N reports the whole plan once; a retried job reports nothing twice", async () => {
    const job = parse(readFileSync(path.join(root, "contrib/ci/gitlab-ci.yml"), "utf8"))["modcompat-build"];
    const n = Number(job.parallel);
    const script = (job.script as string[]).join("\n");
    const env = (i: number) => ({ MODULES: MODULES(), KERNELS, CI_NODE_INDEX: String(i), CI_NODE_TOTAL: String(n), CI_PIPELINE_ID: `77${tag}`, CI_PROJECT_ROOT_NAMESPACE: `ns${tag}`, MODCOMPAT_SERVER: url, MODCOMPAT_TOKEN: token });
    for (let i = 1; i <= n; i++) {
      const run = await sh(script, env(i));
      expect(run.code, run.out).toBe(0);
    }
    const source = `gitlab-ns${tag}`;
    expect(await resultsOf(source)).toBe(6);
    const runs = await db().run.findMany({ where: { source }, select: { externalId: true } });
    // 6 builds over 4 parts: every part has work, so every job posts its own run
    expect(runs.map((r) => r.externalId).sort()).toEqual(Array.from({ length: n }, (_, i) => `gitlab-77${tag}-shard-${i + 1}`).sort());
    const retry = await sh(script, env(2));
    expect(retry.code, retry.out).toBe(0);
    expect(await resultsOf(source)).toBe(6);
  }, 240_000);

  it("Kubernetes: the container's args for JOB_COMPLETION_INDEX 0..completions-1 report the whole plan once", async () => {
    const doc = parse(readFileSync(path.join(root, "contrib/ci/kubernetes-job.yml"), "utf8"));
    const c = doc.spec.template.spec.containers[0];
    const envOf = (name: string) => (c.env as { name: string; value?: string }[]).find((e) => e.name === name)!.value!;
    const n = Number(doc.spec.completions);
    const modules = MODULES();
    for (let i = 0; i < n; i++) {
      const run = await sh((c.args as string[]).join("\n"), { MODULES: modules, KERNELS, SHARDS: envOf("SHARDS"), JOB_COMPLETION_INDEX: String(i), JOB_NAME: `farm-${tag}`, MODCOMPAT_SERVER: url, MODCOMPAT_TOKEN: token });
      expect(run.code, run.out).toBe(0);
    }
    const keys = await db().result.findMany({ where: { run: { source: "k8s-farm", externalId: { startsWith: `farm-${tag}-` } } }, select: { kernelId: true, moduleVersionId: true } });
    expect(keys).toHaveLength(6);
    expect(new Set(keys.map((k) => `${k.moduleVersionId}:${k.kernelId}`)).size).toBe(6);
  }, 240_000);
});

describe("GitHub Actions farm recipe, run", () => {
  it("the build step for every matrix.shard reports the whole plan once; re-running a job reports nothing twice", async () => {
    const wf = parse(readFileSync(path.join(root, "contrib/ci/github-actions.yml"), "utf8"));
    const step = (wf.jobs.build.steps as { run?: string }[]).find((st) => st.run?.includes("--shard"))!.run!;
    const shards = wf.jobs.build.strategy.matrix.shard as number[];
    const modules = MODULES();
    const runShard = (i: number) =>
      sh(
        step.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_m, name: string) => {
          const values: Record<string, string> = { "matrix.shard": String(i), "env.SHARDS": String(wf.env.SHARDS), "github.repository_owner": `gh${tag}`, "github.run_id": `5${tag}`, "vars.MODCOMPAT_SERVER": url, "secrets.MODCOMPAT_TOKEN": token };
          if (!(name in values)) throw new Error(`no value for ${name}`);
          return values[name];
        }),
        { MODULES: modules, KERNELS, SHARDS: String(wf.env.SHARDS) },
      );
    for (const i of shards) {
      const run = await runShard(i);
      expect(run.code, run.out).toBe(0);
    }
    expect(await resultsOf(`gha-gh${tag}`)).toBe(6);
    const again = await runShard(shards[0]);
    expect(again.code, again.out).toBe(0);
    expect(await resultsOf(`gha-gh${tag}`)).toBe(6);
  }, 240_000);
});

describe("maintainer recipe, run", () => {
  /** The workflow's `run:` steps that call modcompat, with the `${{ }}` expressions GitHub would fill in. */
  function steps(vars: Record<string, string>): string[] {
    const wf = parse(readFileSync(path.join(root, "contrib/ci/maintainer-github.yml"), "utf8"));
    return (wf.jobs.kernels.steps as { run?: string }[])
      .map((st) => st.run ?? "")
      .filter((r) => r.includes("npx modcompat"))
      .map((r) => r.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_m, name: string) => {
        if (!(name in vars)) throw new Error(`no value for ${name}`);
        return vars[name];
      }));
  }

  it("builds the commit, posts it, and fails the job exactly when `modcompat check` finds it broken on a listed kernel", async () => {
    const ws = path.join(dir, "ws");
    const slug = `maint-${tag}`;
    mkdirSync(path.join(ws, "module"), { recursive: true });
    writeFileSync(path.join(ws, "module", "dkms.conf"), `PACKAGE_NAME="${slug}"\nPACKAGE_VERSION="2.0"\nBUILT_MODULE_NAME[0]="${slug}"\nDEST_MODULE_LOCATION[0]="/updates"\n`);
    const [K1, K2] = ["6.1.0-994-amd64", "6.12.994+deb12-amd64"];
    const vars = { "vars.MODCOMPAT_SERVER": url, "secrets.MODCOMPAT_TOKEN": token, "github.repository_owner": "owner", "github.event.repository.name": slug, "github.run_id": `9${tag}`, "github.sha": "abc123" };
    const env = { GITHUB_WORKSPACE: ws, KERNELS: `${K1} ${K2}` };
    const [build, check] = steps(vars);
    // No headers here, so the build itself only yields `error` results; the verdicts come from
    // results another lab reported for this version: a pass on K1 and then a failure on K2.
    expect((await postResults(ingestBody(`lab-${tag}`, "1", [result({ module: slug, moduleVersion: "2.0", kernel: K1 })]), { token })).status).toBe(201);
    const posted = await sh(build, env);
    expect(posted.code, posted.out).toBe(0);
    expect(await resultsOf(`gha-owner-${slug}`)).toBe(2);
    const unknown = await sh(check, env);
    expect(unknown.code, unknown.out).toBe(0); // works on K1, unknown on K2: not a failure
    expect((await postResults(ingestBody(`lab-${tag}`, "2", [result({ module: slug, moduleVersion: "2.0", kernel: K2, status: "fail", errorLine: "implicit declaration of function 'strlcpy'" })]), { token })).status).toBe(201);
    const broken = await sh(check, env);
    expect(broken.code, broken.out).toBe(1);
    expect(broken.out).toContain("strlcpy");
  }, 240_000);
});
