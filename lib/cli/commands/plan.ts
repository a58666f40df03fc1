import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { parseShard, MAX_SHARDS, type Shard } from "../../domain/shard";
import { makePlan } from "../../runner/plan";
import { resolveKernels } from "../../runner/kernels";
import { hostArch, resolveModules } from "../../runner/sources";

/** commander parser for `--shard i/n`, shared with `modcompat build`. */
export function shardArg(value: string): Shard {
  try {
    return parseShard(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function shardCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SHARDS) throw new InvalidArgumentError(`--shards must be an integer from 1 to ${MAX_SHARDS}`);
  return n;
}

interface PlanCliOptions {
  module: string[];
  kernel: string[];
  allInstalled?: boolean;
  name?: string;
  version?: string;
  arch?: string;
  shards?: number;
  shard?: Shard;
}

/**
 * `modcompat plan`: the module × kernel plan `modcompat build` would run with the same arguments,
 * as JSON, each entry with its expected cost and its part of `--shards n` (or only part i of
 * `--shard i/n`). Modules are resolved as `build` resolves them (Debian packages are downloaded,
 * to read their version, and removed); kernels are taken as given, no headers needed.
 */
export function registerPlanCommand(program: Command): void {
  program
    .command("plan")
    .description("print the module × kernel build plan (with expected cost and shard) as JSON, for an external scheduler")
    .option("--module <src>", "as for `build`; repeatable", collect, [])
    .option("--kernel <kver>", "as for `build`; repeatable", collect, [])
    .option("--all-installed", "every kernel with /lib/modules/*/build")
    .option("--name <name>", "module name for a plain Kbuild directory")
    .option("--version <version>", "module version for a plain Kbuild directory")
    .option("--arch <arch>", "architecture (default: this host's uname -m)")
    .option("--shards <n>", "split into n parts and label each entry with its part", shardCount)
    .option("--shard <i/n>", "print only part i of n (what `build --shard i/n` builds)", shardArg)
    .action(async (o: PlanCliOptions, cmd: Command) => {
      if (o.module.length === 0) cmd.error("error: pass at least one --module", { exitCode: 3 });
      if (o.shard && o.shards && o.shards !== o.shard.count) cmd.error("error: --shards and --shard i/n disagree on n", { exitCode: 3 });
      const workRoot = mkdtempSync(path.join(os.tmpdir(), "modcompat-plan-"));
      try {
        const resolved = await resolveModules(o.module, { workRoot, name: o.name, version: o.version });
        const failed = resolved.flatMap((r, i) => (r instanceof Error ? [`${o.module[i]}: ${r.message}`] : []));
        if (failed.length) throw new Error(`cannot resolve module(s):\n  ${failed.join("\n  ")}`);
        // The same kernel identities `build` uses (an experimental rc's headers dir 7.3-amd64 is 7.3-rc7-amd64).
        const kernels =
          o.kernel.length || o.allInstalled ? (await resolveKernels({ kernels: o.kernel, allInstalled: Boolean(o.allInstalled) })).map((t) => t.kernel) : [];
        if (kernels.length === 0) cmd.error("error: pass --kernel <kver> (repeatable) or --all-installed", { exitCode: 3 });
        const plan = makePlan({
          modules: resolved.filter((r): r is Exclude<typeof r, Error> => !(r instanceof Error)),
          kernels,
          arch: o.arch ?? hostArch(),
          shards: o.shard?.count ?? o.shards ?? 1,
        });
        const out = o.shard ? { ...plan, shard: o.shard.index, entries: plan.entries.filter((e) => e.shard === o.shard!.index) } : plan;
        process.stdout.write(JSON.stringify(out, null, 1) + "\n");
      } finally {
        rmSync(workRoot, { recursive: true, force: true });
      }
    });
}
