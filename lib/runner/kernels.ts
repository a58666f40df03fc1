/**
 * Kernel targets: where each kernel's headers are (the host or a build environment), which
 * environment builds for it (lib/domain/build-environment.ts), and what the header package says
 * about it: its Debian package version, the Linux version it carries, its upload date (from the
 * package's changelog.Debian.gz) and whether it is a pre-release.
 */
import { execFile } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { HOST_ENV, selectEnvironment, type EnvCandidate } from "../domain/build-environment";
import { kernelIdentity, linuxVersionOfPackage, parseDebianChangelog, uploadOf } from "../domain/debian-changelog";
import { parseKernelConfig } from "./dkms-conf";
import { envNames, kernelsIn, loadEnvironment, pathInRoot, type BuildEnvironment } from "./environments";

const execFileP = promisify(execFile);

export interface KernelTarget {
  /** the kernel's identity as reported (an experimental rc gets its -rcN: "7.3-rc7-amd64") */
  kernel: string;
  /** the directory name under /lib/modules, what dkms -k wants ("7.3-amd64") */
  release: string;
  /** /lib/modules/<release>/build as seen from the host (inside the environment's root) */
  buildDir: string;
  headersPresent: boolean;
  config?: Map<string, string>;
  /** CONFIG_CC_VERSION_TEXT, normalised */
  compiler?: string;
  /** dpkg package owning the headers and its version, for provenance */
  headerPackage?: { package: string; version: string };
  /** the environment that builds for this kernel; absent when none can (envError says why) */
  env?: BuildEnvironment;
  envReason?: string;
  envError?: string;
  /** the Linux version the package carries ("6.1.192", "7.3-rc7") */
  upstreamVersion?: string;
  releasedAt?: string;
  releasedAtSource?: string;
  prerelease?: boolean;
}

/** "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0" → "gcc (Debian 12.2.0-14+deb12u1) 12.2.0" */
export function normaliseCompiler(text: string): string {
  return text
    .trim()
    .replace(/^"|"$/g, "")
    .replace(/^(?:[\w.-]+-linux-gnu-)?(gcc|clang)(?:-\d+)?(?=\s)/, "$1");
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, "utf8");
  } catch {
    return null;
  }
}

async function headerPackageOf(root: string, release: string): Promise<{ package: string; version: string } | undefined> {
  const pkg = `linux-headers-${release}`;
  try {
    const { stdout } = await execFileP("dpkg-query", [`--admindir=${path.join(root, "var/lib/dpkg")}`, "-W", "-f=${Version}", pkg], { env: { ...process.env, LC_ALL: "C" } });
    const v = stdout.trim();
    return v ? { package: pkg, version: v } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The upload date of this exact header package version: Debian keeps the kernel's changelog in the
 * -common headers package (the flavour package's doc dir is often a symlink elsewhere).
 */
async function headerUploadDate(root: string, release: string, pkg: { package: string; version: string }): Promise<{ releasedAt: string; releasedAtSource: string } | null> {
  const abi = release.replace(/-(?:rt-|cloud-)?(?:amd64|arm64|686-pae|686)$/, "");
  const candidates = [`linux-headers-${release}`, `linux-headers-${abi}-common`, `linux-headers-${abi}-common-rt`];
  for (const dir of candidates) {
    const file = pathInRoot(root, `/usr/share/doc/${dir}/changelog.Debian.gz`);
    if (!existsSync(file)) continue;
    let entries;
    try {
      entries = parseDebianChangelog(gunzipSync(await fs.readFile(file)).toString("utf8"));
    } catch {
      continue;
    }
    const up = uploadOf(entries, pkg.version);
    if (up) {
      return {
        releasedAt: up.date,
        releasedAtSource: `Debian upload ${up.source} (${up.version}) ${up.distributions}, ${up.dateText}: changelog.Debian.gz of ${dir}`.slice(0, 500),
      };
    }
  }
  return null;
}

/** Facts about the headers of `release` inside `root` (the host when root is "/"). */
async function describeHeaders(root: string, release: string) {
  const buildDir = pathInRoot(root, `/lib/modules/${release}/build`);
  const cfgText = (await readIfExists(path.join(buildDir, ".config"))) ?? (await readIfExists(path.join(buildDir, "include/config/auto.conf")));
  const config = cfgText ? parseKernelConfig(cfgText) : undefined;
  const cc = config?.get("CONFIG_CC_VERSION_TEXT");
  const headerPackage = await headerPackageOf(root, release);
  return { buildDir, config, compilerText: cc, headerPackage };
}

interface Located {
  env: BuildEnvironment;
  release: string;
  identity: string;
}

/** Every kernel with headers in the host and in each environment. */
async function locateAll(envs: BuildEnvironment[]): Promise<Located[]> {
  const out: Located[] = [];
  for (const env of envs) {
    for (const release of kernelsIn(env.root)) {
      const pkg = await headerPackageOf(env.root, release);
      out.push({ env, release, identity: kernelIdentity(release, pkg?.version) });
    }
  }
  return out;
}

export interface ResolveKernelsOptions {
  kernels: string[];
  allInstalled: boolean;
  /** --env: build every kernel in this environment */
  forcedEnv?: string;
  /** environments to consider; default: the host and every environment in envsDir() */
  envs?: BuildEnvironment[];
}

export async function availableEnvironments(): Promise<BuildEnvironment[]> {
  const envs = [await loadEnvironment(HOST_ENV)];
  for (const name of envNames()) envs.push(await loadEnvironment(name));
  return envs;
}

/**
 * Resolve --kernel arguments (a release string as in /lib/modules, or the identity ModCompat
 * reports, e.g. "7.3-rc7-amd64") against the host and the build environments.
 */
export async function resolveKernels(o: ResolveKernelsOptions): Promise<KernelTarget[]> {
  const envs = o.envs ?? (await availableEnvironments());
  const located = await locateAll(envs);
  const names = [...o.kernels];
  if (o.allInstalled) {
    for (const l of located) if (!names.includes(l.identity) && !names.includes(l.release)) names.push(l.identity);
  }
  const out: KernelTarget[] = [];
  for (const name of names) {
    const hits = located.filter((l) => l.release === name || l.identity === name);
    const release = hits[0]?.release ?? name;
    const identity = hits[0]?.identity ?? name;
    const candidates: EnvCandidate[] = [];
    const facts = new Map<string, Awaited<ReturnType<typeof describeHeaders>>>();
    for (const env of envs) {
      const has = hits.some((h) => h.env.name === env.name);
      let kernelCompilerText: string | undefined;
      if (has) {
        const f = await describeHeaders(env.root, release);
        facts.set(env.name, f);
        kernelCompilerText = f.compilerText;
      }
      candidates.push({ name: env.name, compiler: env.compiler, hasHeaders: has, ...(kernelCompilerText ? { kernelCompilerText } : {}) });
    }
    const choice = selectEnvironment(identity, candidates, o.forcedEnv);
    const envName = choice.ok ? choice.env : hits[0]?.env.name;
    const env = envs.find((e) => e.name === envName);
    const f = envName ? facts.get(envName) : undefined;
    if (!f || !env) {
      out.push({ kernel: identity, release, buildDir: path.join("/lib/modules", release, "build"), headersPresent: false, ...(choice.ok ? {} : { envError: choice.reason }) });
      continue;
    }
    const pkgVersion = f.headerPackage?.version;
    const upstreamVersion = pkgVersion ? linuxVersionOfPackage(pkgVersion) : undefined;
    const dated = f.headerPackage ? await headerUploadDate(env.root, release, f.headerPackage) : null;
    out.push({
      kernel: identity,
      release,
      buildDir: f.buildDir,
      headersPresent: true,
      ...(f.config ? { config: f.config } : {}),
      ...(f.compilerText ? { compiler: normaliseCompiler(f.compilerText) } : {}),
      ...(f.headerPackage ? { headerPackage: f.headerPackage } : {}),
      ...(choice.ok ? { env, envReason: choice.reason } : { envError: choice.reason }),
      ...(upstreamVersion ? { upstreamVersion } : {}),
      ...(dated ?? {}),
      prerelease: /-rc\d+/.test(identity) || Boolean(pkgVersion && /~rc\d+|~exp\d*/.test(pkgVersion)),
    });
  }
  return out;
}
