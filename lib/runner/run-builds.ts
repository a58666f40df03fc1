/**
 * The whole `modcompat build` run: resolve sources and kernels, drop what the server or the local
 * state file already has, build the rest with at most `jobs` builds at once, record each result as
 * soon as it is known, then write and/or report the ingest body.
 */
import { appendFileSync, existsSync, promises as fs, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { IngestResult, IngestRun } from "../schemas/ingest";
import { buildOne } from "./build-one";
import { cleanupAll, installSignalHandlers, onSignal, registerTempDir, removeTempDir } from "./cleanup";
import { Progress, formatDuration } from "./progress";
import { rejudgeStored } from "./classify";
import { chunkBodies, comboKey, fetchKnown, kernelInfos, moduleInfos, postBody, toIngestResult, validateBody } from "./report";
import { compareKernels, kernelLine, tryParseKernelVersion } from "../domain/kernel-version";
import { bisectKernels } from "./bisect";
import { resolveKernels, type KernelTarget } from "./kernels";
import { hostArch, resolveModules, type ModuleSource } from "./sources";
import { shardKeys } from "./plan";
import type { Shard } from "../domain/shard";

export interface RunOptions {
  modules: string[];
  kernels: string[];
  allInstalled: boolean;
  name?: string;
  version?: string;
  kbuildDir?: string;
  jobs: number;
  timeoutSeconds: number;
  out?: string;
  server?: string;
  token?: string;
  runId?: string;
  source: string;
  skipKnown: boolean;
  /** JSONL state file: read to resume, appended to as results come in */
  resume?: string;
  logMaxBytes: number;
  /** JSON object merged into run.meta (e.g. from scripts/make-demo.sh) */
  metaFile?: string;
  keepTemp?: boolean;
  tmpDir?: string;
  quiet?: boolean;
  /** build nothing: only write/report what the --resume state file already holds */
  noBuild?: boolean;
  /** keep every build's full log (dkms output + make.log) in this directory */
  logsDir?: string;
  /** build every kernel in this environment ("host" or a chroot's name) instead of choosing */
  env?: string;
  /** inside each kernel series, build the ends and binary-search between them (see bisect.ts) */
  bisect?: boolean;
  /** build only this part of the module × kernel plan (lib/runner/plan.ts) */
  shard?: Shard;
}

export const EXIT_OK = 0;
export const EXIT_REPORT_FAILED = 3;

interface StateLine {
  type: "result";
  result: IngestResult;
}

function readState(file: string): IngestResult[] {
  if (!existsSync(file)) return [];
  const out: IngestResult[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as StateLine;
      if (parsed.type === "result" && parsed.result) out.push(rejudgeStored(parsed.result));
    } catch {
      /* a line cut by a crash: ignore */
    }
  }
  return out;
}

function osRelease(): string | undefined {
  try {
    const text = readFileSync("/etc/os-release", "utf8");
    return /^PRETTY_NAME="?([^"\n]+)"?/m.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

/** Run `worker` over `items` with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await worker(item);
    }
  });
  await Promise.all(lanes);
}

function log(opts: RunOptions, msg: string): void {
  if (!opts.quiet) process.stderr.write(`${msg}\n`);
}

export async function runBuilds(opts: RunOptions): Promise<number> {
  installSignalHandlers();
  const startedAt = new Date();
  const arch = hostArch();
  const tmpBase = opts.tmpDir ?? os.tmpdir();
  const workRoot = await fs.mkdtemp(path.join(tmpBase, "modcompat-build-"));
  registerTempDir(workRoot);
  try {
    // 1. Sources.
    const sources: ModuleSource[] = [];
    const unresolved: Array<{ spec: string; reason: string }> = [];
    const resolved = await resolveModules(opts.modules, { workRoot, name: opts.name, version: opts.version, kbuildDir: opts.kbuildDir });
    for (let i = 0; i < opts.modules.length; i++) {
      const spec = opts.modules[i];
      const src = resolved[i];
      if (src instanceof Error) {
        log(opts, `module ${spec}: cannot use it: ${src.message}`);
        unresolved.push({ spec, reason: src.message });
        continue;
      }
      const deb = src.debian ? ` (Debian ${src.debian.package} ${src.debian.version}${src.debian.origin ? `, ${src.debian.origin}` : ""})` : "";
      log(opts, `module ${src.slug} ${src.version}${deb}: ${src.kind} tree${src.declaredKernelMin || src.declaredKernelMax ? `, declares kernels ${src.declaredKernelMin ?? "?"} … ${src.declaredKernelMax ?? "?"}` : ""}`);
      if (sources.some((s) => s.slug === src.slug && s.version === src.version)) {
        log(opts, `  (duplicate of an earlier --module; ignored)`);
        continue;
      }
      sources.push(src);
    }
    if (sources.length === 0) throw new Error(`no usable module source (${unresolved.map((u) => u.spec).join(", ")})`);
    // 2. Kernels, each with the environment that builds for it.
    if (opts.kernels.length === 0 && !opts.allInstalled) throw new Error("no kernels: pass --kernel <uname -r> (repeatable) or --all-installed");
    const targets = await resolveKernels({ kernels: opts.kernels, allInstalled: opts.allInstalled, forcedEnv: opts.env });
    if (targets.length === 0) throw new Error("no kernels: --all-installed found no headers in the host or any build environment");
    for (const t of targets) {
      const where = t.env ? ` in ${t.env.name} (${t.envReason})` : "";
      const facts = t.headersPresent
        ? `${t.compiler ?? "compiler unknown"}${t.headerPackage ? `, ${t.headerPackage.package} ${t.headerPackage.version}` : ""}${t.upstreamVersion ? `, Linux ${t.upstreamVersion}` : ""}${t.prerelease ? " (pre-release)" : ""}${where}`
        : "headers NOT installed (→ error results)";
      log(opts, `kernel ${t.kernel}${t.release !== t.kernel ? ` (${t.release})` : ""}: ${facts}${t.envError ? ` — cannot build: ${t.envError}` : ""}`);
    }
    // 3. What is already known.
    const stateFile = opts.resume;
    const previous = stateFile ? readState(stateFile) : [];
    const wanted = new Set<string>();
    for (const s of sources) for (const t of targets) wanted.add(comboKey({ module: s.slug, moduleVersion: s.version, kernel: t.kernel, arch }));
    const resumed = previous.filter((r) => wanted.has(comboKey(r)));
    const done = new Set(resumed.map(comboKey));
    let known = new Set<string>();
    if (opts.noBuild && !stateFile) throw new Error("--no-build needs --resume <state file>");
    if (opts.skipKnown) {
      if (!opts.server) throw new Error("--skip-known needs --server");
      known = await fetchKnown(opts.server, opts.token, opts.source);
      log(opts, `server already has ${known.size} combination(s) from source ${opts.source}`);
    }
    const jobs: Array<{ src: ModuleSource; target: KernelTarget }> = [];
    const inShard = opts.shard ? shardKeys({ modules: sources, kernels: targets.map((t) => t.kernel), arch, shard: opts.shard }) : null;
    let skippedKnown = 0;
    // --bisect: kernels of one series (same distro line) with ≥ 3 ABIs build their ends first;
    // the middle is searched only where the ends differ.
    const bisectGroups = opts.bisect ? seriesGroups(targets) : [];
    const middle = new Set(bisectGroups.flatMap((g) => g.slice(1, -1)));
    for (const src of sources) {
      for (const target of targets) {
        if (middle.has(target)) continue;
        const key = comboKey({ module: src.slug, moduleVersion: src.version, kernel: target.kernel, arch });
        if (done.has(key) || opts.noBuild) continue;
        if (inShard && !inShard.has(key)) continue;
        if (known.has(key)) {
          skippedKnown++;
          continue;
        }
        jobs.push({ src, target });
      }
    }
    log(
      opts,
      `${sources.length} module version(s) × ${targets.length} kernel(s): ${jobs.length} to build` +
        (resumed.length ? `, ${resumed.length} resumed from ${stateFile}` : "") +
        (skippedKnown ? `, ${skippedKnown} already known to the server` : "") +
        `; ${opts.jobs} at once, time limit ${opts.timeoutSeconds} s each`,
    );

    // 4. Build.
    const results: IngestResult[] = [...resumed];
    const progress = new Progress(jobs.length + resumed.length, process.stderr, Boolean(process.stderr.isTTY), Boolean(opts.quiet));
    progress.preload(resumed.map((r) => ({ ...r, durationMs: r.durationMs ?? 0 })));
    onSignal(() => progress.stop());
    const statusOf = new Map<string, IngestResult["status"]>(resumed.map((r) => [comboKey(r), r.status]));
    const buildAndRecord = async (src: ModuleSource, target: KernelTarget): Promise<IngestResult> => {
      const outcome = await buildOne(src, target, {
        arch,
        timeoutMs: opts.timeoutSeconds * 1000,
        workRoot,
        keep: opts.keepTemp,
      });
      const result = toIngestResult(outcome, opts.logMaxBytes);
      if (opts.logsDir) {
        const name = `${outcome.module}_${outcome.moduleVersion}_${outcome.kernel}_${outcome.arch}.log`.replace(/[^\w.+~=-]/g, "_");
        const header = `# ${outcome.module} ${outcome.moduleVersion} × ${outcome.kernel} (${outcome.arch}) in ${outcome.env ?? "host"}: ${outcome.status} [${outcome.rule}] exit=${outcome.exitCode ?? "-"} ${outcome.durationMs} ms\n# ${outcome.errorLine ?? ""}\n`;
        await fs.mkdir(opts.logsDir, { recursive: true });
        await fs.writeFile(path.join(opts.logsDir, name), header + outcome.log);
      }
      results.push(result);
      statusOf.set(comboKey(result), result.status);
      if (stateFile) appendFileSync(stateFile, JSON.stringify({ type: "result", result } satisfies StateLine) + "\n");
      progress.tick({ ...outcome });
      return result;
    };
    await pool(jobs, opts.jobs, ({ src, target }) => buildAndRecord(src, target).then(() => undefined));
    if (bisectGroups.length > 0 && !opts.noBuild) {
      const tasks = sources.flatMap((src) => bisectGroups.map((group) => ({ src, group })));
      let planned = jobs.length + resumed.length;
      for (const t of tasks) planned += Math.ceil(Math.log2(Math.max(2, t.group.length - 2)));
      progress.setTotal(planned);
      const found: string[] = [];
      await pool(tasks, opts.jobs, async ({ src, group }) => {
        const outcome = await bisectKernels(group, async (target) => {
          const key = comboKey({ module: src.slug, moduleVersion: src.version, kernel: target.kernel, arch });
          const known = statusOf.get(key);
          if (known) return known;
          return (await buildAndRecord(src, target)).status;
        });
        if (outcome) found.push(`${src.slug} ${src.version}: changes between ${outcome.lastSame.kernel} and ${outcome.firstChanged.kernel} (${outcome.probes.length} kernels probed of ${group.length})`);
      });
      for (const f of found.sort()) log(opts, `bisect: ${f}`);
    }
    progress.stop();
    const finishedAt = new Date();
    log(opts, `done in ${formatDuration(finishedAt.getTime() - startedAt.getTime())}: ${progress.summary()}`);

    if (results.length === 0) {
      log(opts, "nothing to report (every combination is already known)");
      return EXIT_OK;
    }

    // 5. The ingest body.
    const extraMeta = opts.metaFile ? (JSON.parse(await fs.readFile(opts.metaFile, "utf8")) as Record<string, unknown>) : {};
    const compilers = [...new Set(targets.map((t) => t.compiler).filter((c): c is string => Boolean(c)))];
    const envNamesUsed = [...new Set(targets.map((t) => t.env?.name).filter((n): n is string => Boolean(n)))];
    const hostOnly = envNamesUsed.every((n) => n === "host");
    const distro = hostOnly ? osRelease() : `${osRelease() ?? "host"} + chroots: ${envNamesUsed.filter((n) => n !== "host").join(", ")}`;
    // With resumed results (several invocations, or a --no-build merge) the run spans all of them.
    let firstStart = jobs.length > 0 ? startedAt.getTime() : Infinity;
    let lastFinish = jobs.length > 0 ? finishedAt.getTime() : -Infinity;
    for (const r of results) {
      if (!r.finishedAt) continue;
      const end = Date.parse(r.finishedAt);
      firstStart = Math.min(firstStart, end - (r.durationMs ?? 0));
      lastFinish = Math.max(lastFinish, end);
    }
    if (!Number.isFinite(firstStart)) firstStart = startedAt.getTime();
    if (!Number.isFinite(lastFinish)) lastFinish = finishedAt.getTime();
    const run: IngestRun = {
      source: opts.source,
      id: opts.runId ?? `${opts.source}-${startedAt.toISOString().replace(/[:.]/g, "-")}`,
      startedAt: new Date(firstStart).toISOString(),
      finishedAt: new Date(lastFinish).toISOString(),
      environment: {
        arch,
        ...(compilers.length === 1 ? { compiler: compilers[0] } : {}),
        ...(distro ? { distro: distro.slice(0, 100) } : {}),
      },
      meta: JSON.parse(
        JSON.stringify({
          runner: "modcompat build",
          date: startedAt.toISOString(),
          hostArch: arch,
          ...(distro ? { distro } : {}),
          dkms: await dkmsVersion(),
          options: { jobs: opts.jobs, timeoutSeconds: opts.timeoutSeconds, logMaxBytes: opts.logMaxBytes },
          modules: sources.map((s) => ({
            module: s.slug,
            version: s.version,
            dkmsName: s.dkmsName,
            dkmsVersion: s.dkmsVersion,
            kind: s.kind,
            ...(s.debian ? { debianPackage: s.debian.package, debianVersion: s.debian.version, ...(s.debian.origin ? { debianOrigin: s.debian.origin } : {}) } : {}),
            ...(s.declaredKernelMin ? { declaredKernelMin: s.declaredKernelMin } : {}),
            ...(s.declaredKernelMax ? { declaredKernelMax: s.declaredKernelMax } : {}),
          })),
          kernels: targets.map((t) => ({
            kernel: t.kernel,
            headersInstalled: t.headersPresent,
            ...(t.headerPackage ? { headerPackage: t.headerPackage.package, headerVersion: t.headerPackage.version } : {}),
            ...(t.compiler ? { compiler: t.compiler } : {}),
            ...(t.upstreamVersion ? { linux: t.upstreamVersion } : {}),
            ...(t.releasedAt ? { releasedAt: t.releasedAt, releasedAtSource: t.releasedAtSource } : {}),
            ...(t.env
              ? { environment: { name: t.env.name, release: t.env.release, compiler: t.env.compilerText, dkms: t.env.dkms, why: t.envReason } }
              : {}),
            ...(t.envError ? { environmentError: t.envError } : {}),
          })),
          compilers,
          ...(unresolved.length ? { unresolved } : {}),
          ...extraMeta,
        }),
      ),
    };
    results.sort(
      (a, b) =>
        a.module.localeCompare(b.module) ||
        a.moduleVersion.localeCompare(b.moduleVersion) ||
        a.kernel.localeCompare(b.kernel, "en", { numeric: true }) ||
        a.arch.localeCompare(b.arch),
    );
    const modules = moduleInfos(sources);
    const kernels = kernelInfos(targets);
    const bodies = chunkBodies(run, modules, results)
      .map((b) => (kernels.length ? { ...b, kernels } : b))
      .map(validateBody);

    if (opts.out) {
      // One file holds the whole run when it fits one request; otherwise a JSON array of parts.
      const content = bodies.length === 1 ? bodies[0] : bodies;
      await fs.mkdir(path.dirname(path.resolve(opts.out)), { recursive: true });
      await fs.writeFile(opts.out, JSON.stringify(content, null, 1) + "\n");
      const size = (await fs.stat(opts.out)).size;
      log(opts, `wrote ${opts.out} (${results.length} results, ${(size / 1024).toFixed(0)} KiB)`);
    }
    if (opts.server) {
      // Builds are expensive: if the report does not get through, keep the body on disk.
      const keep = async (why: string) => {
        if (opts.out) return;
        const file = path.resolve(`modcompat-results-${run.id}.json`.replace(/[^\w.+-]/g, "_"));
        await fs.writeFile(file, JSON.stringify(bodies.length === 1 ? bodies[0] : bodies, null, 1) + "\n");
        process.stderr.write(
          `${why}; the results are saved in ${file}; to retry: curl -H "Authorization: Bearer $MODCOMPAT_TOKEN" ` +
            `-H "Content-Type: application/json" --data @${file} ${opts.server!.replace(/\/+$/, "")}/api/v1/results\n`,
        );
      };
      for (const body of bodies) {
        let res;
        try {
          res = await postBody(opts.server, opts.token, body);
        } catch (e) {
          await keep(`POST ${opts.server} failed: ${e instanceof Error ? e.message : String(e)}`);
          return EXIT_REPORT_FAILED;
        }
        process.stdout.write(`POST ${opts.server.replace(/\/+$/, "")}/api/v1/results (run ${body.run.id}, ${body.results.length} results) → HTTP ${res.status}\n`);
        process.stdout.write(`${typeof res.body === "string" ? res.body : JSON.stringify(res.body, null, 2)}\n`);
        if (!res.ok) {
          await keep(`the server refused the report (HTTP ${res.status})`);
          return EXIT_REPORT_FAILED;
        }
      }
    }
    return EXIT_OK;
  } finally {
    if (!opts.keepTemp) {
      removeTempDir(workRoot);
      cleanupAll();
    }
  }
}

/** The kernels of a run, grouped by series within one distro line, oldest first (for --bisect). */
export function seriesGroups(targets: readonly KernelTarget[]): KernelTarget[][] {
  const groups = new Map<string, KernelTarget[]>();
  for (const t of targets) {
    const p = tryParseKernelVersion(t.kernel);
    if (!p.ok) continue;
    const k = p.value;
    // Debian's +debNN tag separates releases of one series (6.12+deb12 vs 6.12+deb13); an ABI number does not.
    const tag = k.distroRelease && !/^\d+$/.test(k.distroRelease) ? k.distroRelease : "";
    const key = [kernelLine(k), k.series, tag].join("|");
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.values()].filter((g) => g.length >= 3).map((g) => [...g].sort((a, b) => compareKernels(a.kernel, b.kernel)));
}

async function dkmsVersion(): Promise<string | undefined> {
  try {
    const { execFileSync } = await import("node:child_process");
    return execFileSync("dkms", ["--version"], { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}
