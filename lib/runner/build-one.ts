/**
 * One module × kernel build in its own throw-away tree, so builds can run in parallel and nothing
 * touches /var/lib/dkms or /lib/modules:
 *   dkms add   --dkmstree T/dkms --sourcetree T/src -m NAME -v VER
 *   dkms build --dkmstree T/dkms --sourcetree T/src -m NAME -v VER -k KVER
 * or, for a plain Kbuild tree, `make -C /lib/modules/K/build M=T/src/NAME-VER modules`.
 * The child runs in its own process group; a timeout kills the whole group.
 */
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import type { Footprint } from "../domain/footprint";
import { captureFootprint, FOOTPRINT_DEPS, prepareFootprintScript } from "./capture-footprint";
import { classifyBuild, type Classification } from "./classify";
import { evaluateBuildExclusive } from "./dkms-conf";
import { killProcessGroup, registerProcessGroup, registerTempDir, removeTempDir, unregisterProcessGroup } from "./cleanup";
import { inEnv } from "./environments";
import type { KernelTarget } from "./kernels";
import type { ModuleSource } from "./sources";

export interface BuildOptions {
  arch: string;
  timeoutMs: number;
  /** parent of the per-build temp trees */
  workRoot: string;
  /** keep the temp tree (debugging) */
  keep?: boolean;
}

export interface BuildOutcome extends Classification {
  module: string;
  moduleVersion: string;
  kernel: string;
  arch: string;
  durationMs: number;
  startedAt: string;
  finishedAt: string;
  /** full combined log (dkms output + make.log); the caller cuts it */
  log: string;
  compiler?: string;
  /** exit code of the build command, for the raw log files (null: not run or killed) */
  exitCode?: number | null;
  /** where it was built: "host" or a build environment's name */
  env?: string;
  /** a passing build's imported symbols and included kernel headers */
  footprint?: Footprint;
}

interface ProcResult {
  code: number | null;
  output: string;
  timedOut: boolean;
  spawnError?: string;
}

const OUTPUT_CAP = 8 * 1024 * 1024;

function runInGroup(cmd: string, args: string[], opts: { cwd?: string; timeoutMs: number }): Promise<ProcResult> {
  return new Promise((resolve) => {
    let output = "";
    let timedOut = false;
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      detached: true, // own process group: a timeout kills make, gcc and everything below
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C", LANG: "C" },
    });
    const pid = child.pid;
    if (pid !== undefined) registerProcessGroup(pid);
    const append = (b: Buffer) => {
      if (output.length < OUTPUT_CAP) output += b.toString("utf8");
    };
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid !== undefined) killProcessGroup(pid, "SIGKILL");
    }, opts.timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      if (pid !== undefined) unregisterProcessGroup(pid);
      resolve({ code: null, output, timedOut, spawnError: err.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (pid !== undefined) {
        killProcessGroup(pid, "SIGKILL"); // stragglers that kept running after the leader exited
        unregisterProcessGroup(pid);
      }
      resolve({ code, output, timedOut });
    });
  });
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, "utf8");
  } catch {
    return null;
  }
}

/** Drop dkms's chatter about signing keys etc. that says nothing about the build. */
function tidyDkmsOutput(s: string): string {
  return s
    .split("\n")
    .filter((l) => !/^(?:Sign command:|Signing key:|Public certificate \(MOK\):|Certificate or key are missing|readelf: Warning: Section '\.comment')/.test(l))
    .join("\n")
    .trim();
}

/** The module's own *.h files, relative to its tree (at most 5,000). */
async function headersIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= 5000) return;
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith(".h")) out.push(p);
    }
  };
  await walk("");
  return out;
}

export async function buildOne(src: ModuleSource, target: KernelTarget, opts: BuildOptions): Promise<BuildOutcome> {
  const started = Date.now();
  const base = {
    module: src.slug,
    moduleVersion: src.version,
    kernel: target.kernel,
    arch: opts.arch,
    startedAt: new Date(started).toISOString(),
    ...(target.compiler ? { compiler: target.compiler } : {}),
    ...(target.env ? { env: target.env.name } : {}),
  };
  const finish = (c: Classification, log: string, exitCode: number | null = null): BuildOutcome => {
    const now = Date.now();
    return { ...base, ...c, log, exitCode, durationMs: now - started, finishedAt: new Date(now).toISOString() };
  };

  if (target.envError) {
    const c = classifyBuild({ kernel: target.kernel, exitCode: null, viaDkms: src.kind === "dkms", output: "", runnerError: target.envError });
    return finish(c, target.envError);
  }
  if (!target.headersPresent) {
    const c = classifyBuild({ kernel: target.kernel, headersMissing: true, exitCode: null, viaDkms: src.kind === "dkms", output: "" });
    return finish(c, `${target.buildDir} does not exist: install the headers for ${target.kernel}`);
  }
  if (src.conf) {
    const verdict = evaluateBuildExclusive(src.conf, { kernel: target.release, arch: opts.arch, config: target.config });
    if (verdict.excluded) {
      const c = classifyBuild({ kernel: target.kernel, excludedBy: verdict.reasons, exitCode: null, viaDkms: true, output: "" });
      return finish(c, `not built: ${verdict.reasons.join("; ")}`);
    }
  }

  // Inside a chroot the tree must live in the chroot's file system; commands see it without the root prefix.
  const root = target.env?.root ?? "/";
  const workRoot = root === "/" ? opts.workRoot : path.join(root, "var/tmp/modcompat-builds");
  await fs.mkdir(workRoot, { recursive: true });
  const tree = await fs.mkdtemp(path.join(workRoot, `build-${src.slug}-`));
  const inside = (p: string) => (root === "/" ? p : "/" + path.relative(root, p));
  const exec = (cmd: string, args: string[], timeoutMs: number) => {
    const c = inEnv(root, cmd, args);
    return runInGroup(c.cmd, c.args, { timeoutMs });
  };
  registerTempDir(tree);
  try {
    const srcTree = path.join(tree, "src");
    const dkmsTree = path.join(tree, "dkms");
    const copy = path.join(srcTree, `${src.dkmsName}-${src.dkmsVersion}`);
    await fs.mkdir(dkmsTree, { recursive: true });
    await fs.mkdir(srcTree, { recursive: true });
    await fs.cp(src.dir, copy, { recursive: true, verbatimSymlinks: true });
    const deadline = started + opts.timeoutMs;
    const timeoutSeconds = opts.timeoutMs / 1000;

    const moduleHeaders = await headersIn(src.dir);
    if (src.kind === "kbuild") {
      const r = await exec("make", ["-C", inside(target.buildDir), `M=${inside(path.join(copy, src.kbuildSubdir ?? ""))}`, "modules"], opts.timeoutMs);
      const c = classifyBuild({
        kernel: target.kernel,
        exitCode: r.code,
        timedOut: r.timedOut,
        timeoutSeconds,
        viaDkms: false,
        output: r.output,
        runnerError: r.spawnError ?? null,
        moduleHeaders,
      });
      const buildDir = path.join(copy, src.kbuildSubdir ?? "");
      const footprint = c.status === "pass" ? await captureFootprint({ koDir: buildDir, cmdDirs: [buildDir], depsFiles: [], sourceDir: src.dir }).catch(() => null) : null;
      return { ...finish(c, r.output, r.code), ...(footprint ? { footprint } : {}) };
    }

    const common = ["--dkmstree", inside(dkmsTree), "--sourcetree", inside(srcTree), "-m", src.dkmsName, "-v", src.dkmsVersion];
    const add = await exec("dkms", ["add", ...common], Math.max(1000, deadline - Date.now()));
    if (add.code !== 0) {
      const c = classifyBuild({
        kernel: target.kernel,
        exitCode: add.code,
        timedOut: add.timedOut,
        timeoutSeconds,
        viaDkms: true,
        output: add.output,
        runnerError: add.spawnError ?? `dkms add exited with code ${add.code}: ${tidyDkmsOutput(add.output).split("\n").slice(-2).join(" ")}`,
      });
      return finish(c, tidyDkmsOutput(add.output), add.code);
    }
    const footprintArg = await prepareFootprintScript(copy, Boolean(src.conf?.vars.POST_BUILD));
    const build = await exec("dkms", ["build", ...common, "-k", target.release, "-a", opts.arch, ...(footprintArg ? [footprintArg] : [])], Math.max(1000, deadline - Date.now()));
    const makeLog = await readIfExists(path.join(dkmsTree, src.dkmsName, src.dkmsVersion, "build", "make.log"));
    const output = tidyDkmsOutput(build.output);
    const c = classifyBuild({
      kernel: target.kernel,
      exitCode: build.code,
      timedOut: build.timedOut,
      timeoutSeconds,
      viaDkms: true,
      output,
      makeLog,
      runnerError: build.spawnError ?? null,
      moduleHeaders,
      conditionalExclusive: src.conf?.conditional.filter((n) => n.startsWith("BUILD_EXCLUSIVE")) ?? [],
    });
    const log = makeLog ? `${output}\n\n==> make.log <==\n${makeLog}` : output;
    const versionDir = path.join(dkmsTree, src.dkmsName, src.dkmsVersion);
    const footprint =
      c.status === "pass"
        ? await captureFootprint({ koDir: path.join(versionDir, target.release, opts.arch, "module"), cmdDirs: [], depsFiles: [path.join(versionDir, FOOTPRINT_DEPS)], sourceDir: src.dir }).catch(() => null)
        : null;
    return { ...finish(c, log, build.code), ...(footprint ? { footprint } : {}) };
  } catch (e) {
    const c = classifyBuild({
      kernel: target.kernel,
      exitCode: null,
      viaDkms: src.kind === "dkms",
      output: "",
      runnerError: e instanceof Error ? e.message : String(e),
    });
    return finish(c, c.errorLine ?? "runner error");
  } finally {
    if (!opts.keep) removeTempDir(tree);
  }
}
