/**
 * Module sources and kernel targets: turns `--module` / `--kernel` arguments into concrete source
 * trees and header directories. Debian `*-dkms` packages are fetched with `apt-get download` and
 * unpacked with `dpkg -x` — never installed, so no automatic builds run and the system is untouched.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, promises as fs, statSync } from "node:fs";
import os from "node:os";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { isValidModuleVersion } from "../domain/module-version";
import { debianUpstreamVersion, firstUploadOfUpstream, parseDebianChangelog } from "../domain/debian-changelog";
import { declaredRange, moduleSlugFromName, parseDkmsConf, type DkmsConf } from "./dkms-conf";
import { registerTempDir } from "./cleanup";

const execFileP = promisify(execFile);

export interface DebianProvenance {
  package: string;
  version: string;
  /** the apt origin line, e.g. "bookworm-backports/contrib", when apt-cache knows it */
  origin?: string;
}

export interface ModuleSource {
  /** what the user passed */
  spec: string;
  kind: "dkms" | "kbuild";
  /** PACKAGE_NAME as dkms knows it (directory naming in the DKMS tree) */
  dkmsName: string;
  /** PACKAGE_VERSION as dkms knows it */
  dkmsVersion: string;
  /** ingest slug and version */
  slug: string;
  version: string;
  /** the source tree (read-only; every build copies it) */
  dir: string;
  conf: DkmsConf | null;
  declaredKernelMin?: string;
  declaredKernelMax?: string;
  /** kbuild trees: the directory inside `dir` that holds the module's Kbuild file (make M=) */
  kbuildSubdir?: string;
  debian?: DebianProvenance;
  /** the first Debian upload of this upstream version, from the package's changelog */
  releasedAt?: string;
  releasedAtSource?: string;
}

export class SourceError extends Error {}

async function run(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<string> {
  try {
    const { stdout } = await execFileP(cmd, args, { cwd: opts.cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: "C" } });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new SourceError(`${cmd} ${args.join(" ")} failed: ${(err.stderr || err.message).trim().split("\n").slice(-3).join(" ")}`);
  }
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, "utf8");
  } catch {
    return null;
  }
}

export { debianUpstreamVersion };

async function fromDkmsDir(spec: string, dir: string, debian?: DebianProvenance): Promise<ModuleSource> {
  const confText = await fs.readFile(path.join(dir, "dkms.conf"), "utf8");
  const conf = parseDkmsConf(confText);
  // The directory is named <name>-<version> under /usr/src; use it when dkms.conf is dynamic.
  const base = path.basename(dir);
  const dash = base.lastIndexOf("-");
  const dirName = dash > 0 ? base.slice(0, dash) : base;
  const dirVersion = dash > 0 ? base.slice(dash + 1) : "";
  const dyn = new Set(conf.dynamic);
  const dkmsName = conf.vars.PACKAGE_NAME && !dyn.has("PACKAGE_NAME") ? conf.vars.PACKAGE_NAME : dirName;
  const dkmsVersion =
    conf.vars.PACKAGE_VERSION && !dyn.has("PACKAGE_VERSION")
      ? conf.vars.PACKAGE_VERSION
      : dirVersion || (debian ? debianUpstreamVersion(debian.version) : "");
  if (!dkmsName || !dkmsVersion) throw new SourceError(`${dir}/dkms.conf: cannot determine PACKAGE_NAME/PACKAGE_VERSION`);
  let version = dkmsVersion;
  if (!isValidModuleVersion(version) && debian) version = debianUpstreamVersion(debian.version);
  if (!isValidModuleVersion(version)) throw new SourceError(`module version "${dkmsVersion}" of ${dkmsName} is not a valid version string`);
  const meta = await readIfExists(path.join(dir, "META"));
  const range = declaredRange(conf, meta);
  return {
    spec,
    kind: "dkms",
    dkmsName,
    dkmsVersion,
    slug: moduleSlugFromName(dkmsName),
    version,
    dir,
    conf,
    ...(range.min ? { declaredKernelMin: range.min } : {}),
    ...(range.max ? { declaredKernelMax: range.max } : {}),
    ...(debian ? { debian } : {}),
  };
}

/** Parse `pkg` or `pkg=version`. */
export function parsePackageSpec(spec: string): { pkg: string; version?: string } | null {
  const m = /^([a-z0-9][a-z0-9.+-]*)(?:=(\S+))?$/.exec(spec);
  if (!m) return null;
  return { pkg: m[1], ...(m[2] ? { version: m[2] } : {}) };
}

async function fromDebFile(spec: string, pkg: string, deb: string, origins: Map<string, string>): Promise<ModuleSource> {
  const version = (await run("dpkg-deb", ["-f", deb, "Version"])).trim();
  const unpacked = path.join(path.dirname(deb), `root-${path.basename(deb, ".deb")}`);
  await run("dpkg", ["-x", deb, unpacked]);
  const srcRoot = path.join(unpacked, "usr", "src");
  const candidates: string[] = [];
  for (const entry of existsSync(srcRoot) ? await fs.readdir(srcRoot) : []) {
    if (existsSync(path.join(srcRoot, entry, "dkms.conf"))) candidates.push(path.join(srcRoot, entry));
  }
  if (candidates.length === 0) throw new SourceError(`${path.basename(deb)} has no usr/src/<name>-<version>/dkms.conf`);
  const origin = origins.get(`${pkg}=${version}`);
  const src = await fromDkmsDir(spec, candidates.sort()[0], { package: pkg, version, ...(origin ? { origin } : {}) });
  return { ...src, ...(await moduleReleaseDate(unpacked, pkg, version, src.version)) };
}

/**
 * When the upstream version was first uploaded to Debian: the oldest changelog entry carrying it
 * (the package's changelog.Debian.gz lists every upload, newest first).
 */
async function moduleReleaseDate(unpacked: string, pkg: string, pkgVersion: string, upstream: string): Promise<{ releasedAt?: string; releasedAtSource?: string }> {
  const file = path.join(unpacked, "usr/share/doc", pkg, "changelog.Debian.gz");
  let text: string;
  try {
    text = gunzipSync(await fs.readFile(file)).toString("utf8");
  } catch {
    return {};
  }
  const entries = parseDebianChangelog(text);
  const first = firstUploadOfUpstream(entries, upstream) ?? firstUploadOfUpstream(entries, debianUpstreamVersion(pkgVersion));
  if (!first) return {};
  return {
    releasedAt: first.date,
    releasedAtSource: `Debian changelog of ${pkg} ${pkgVersion}: first upload of ${upstream} was ${first.source} (${first.version}) ${first.distributions}, ${first.dateText}`.slice(0, 500),
  };
}

/** `apt-cache madison` for many packages at once: "pkg=version" → "bookworm-backports/contrib amd64". */
async function aptOrigins(pkgs: string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  if (pkgs.length === 0) return map;
  try {
    const out = await run("apt-cache", ["madison", ...pkgs]);
    for (const line of out.split("\n")) {
      const cols = line.split("|").map((c) => c.trim());
      if (cols.length < 3) continue;
      const key = `${cols[0]}=${cols[1]}`;
      const origin = cols[2].split(/\s+/).slice(1).join(" ").replace(/\s+Packages$/, "");
      if (origin && !map.has(key)) map.set(key, origin);
    }
  } catch {
    /* provenance only */
  }
  return map;
}

/** The .deb apt-get download wrote for pkg[=version]; epochs appear as %3a ("1%3a2.11…") or not at all. */
export function debFor(files: string[], pkg: string, version: string | undefined): string | undefined {
  const plain = version?.replace(/^\d+:/, "");
  return files.find((f) => {
    if (!f.startsWith(`${pkg}_`)) return false;
    if (!version) return true;
    const name = decodeURIComponent(f);
    return name.startsWith(`${pkg}_${version}_`) || name.startsWith(`${pkg}_${plain}_`);
  });
}

/**
 * Fetch many Debian packages with one `apt-get download` (apt's start-up dominates when it runs once
 * per package); if that fails, fall back to one call per package to tell which one is unavailable.
 */
async function fromDebianPackages(specs: string[], workRoot: string): Promise<Array<ModuleSource | SourceError>> {
  const parsed = specs.map((spec) => ({ spec, p: parsePackageSpec(spec) }));
  const dir = await fs.mkdtemp(path.join(workRoot, "pkgs-"));
  registerTempDir(dir);
  await fs.chmod(dir, 0o777); // apt drops privileges to _apt for downloads
  const args = parsed.filter((x) => x.p).map((x) => (x.p!.version ? `${x.p!.pkg}=${x.p!.version}` : x.p!.pkg));
  const failedOne = new Map<string, string>();
  if (args.length > 0) {
    try {
      await run("apt-get", ["download", "-q", ...args], { cwd: dir });
    } catch {
      // apt fetches what it can and fails at the end (a 404 for a version the index names but the
      // archive no longer serves): ask again, one by one, only for what did not arrive, to name it.
      const got = (await fs.readdir(dir)).filter((f) => f.endsWith(".deb"));
      for (const a of args) {
        const [pkg, ...v] = a.split("=");
        if (debFor(got, pkg, v.length ? v.join("=") : undefined)) continue;
        try {
          await run("apt-get", ["download", "-q", a], { cwd: dir });
        } catch (e) {
          failedOne.set(a, e instanceof Error ? e.message : String(e));
        }
      }
    }
  }
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith(".deb"));
  const origins = await aptOrigins([...new Set(parsed.filter((x) => x.p).map((x) => x.p!.pkg))]);
  const out: Array<ModuleSource | SourceError> = [];
  for (const { spec, p } of parsed) {
    if (!p) {
      out.push(new SourceError(`"${spec}" is neither a directory nor a Debian package name`));
      continue;
    }
    const failed = failedOne.get(p.version ? `${p.pkg}=${p.version}` : p.pkg);
    if (failed) {
      out.push(new SourceError(failed));
      continue;
    }
    const deb = debFor(files, p.pkg, p.version);
    if (!deb) {
      out.push(new SourceError(`apt-get download ${spec}: no .deb found`));
      continue;
    }
    try {
      out.push(await fromDebFile(spec, p.pkg, path.join(dir, deb), origins));
    } catch (e) {
      out.push(e instanceof SourceError ? e : new SourceError(String(e)));
    }
  }
  return out;
}

export interface ResolveOptions {
  /** for plain Kbuild directories; `version` also overrides a dkms.conf's PACKAGE_VERSION */
  name?: string;
  version?: string;
  /** build the directory as a plain Kbuild tree with make M=<dir>/<kbuildDir>, even when it has a dkms.conf */
  kbuildDir?: string;
  /** where downloaded packages are unpacked */
  workRoot: string;
}

async function resolveDirectory(spec: string, asPath: string, opts: ResolveOptions): Promise<ModuleSource> {
  if (existsSync(path.join(asPath, "dkms.conf")) && opts.kbuildDir === undefined) {
    const src = await fromDkmsDir(spec, asPath);
    if (!opts.version) return src;
    // Upstream sometimes forgets to bump PACKAGE_VERSION (IET's 1.4.19 tag says 1.4.18): the
    // reported version is the caller's, the dkms tree keeps the name dkms.conf expects.
    if (!isValidModuleVersion(opts.version)) throw new SourceError(`--version "${opts.version}" is not a valid module version`);
    return { ...src, version: opts.version };
  }
  if (opts.kbuildDir !== undefined && (opts.kbuildDir.startsWith("/") || opts.kbuildDir.split("/").includes(".."))) {
    throw new SourceError(`--kbuild-dir "${opts.kbuildDir}" must be a relative path inside the module tree`);
  }
  if (opts.kbuildDir && !existsSync(path.join(asPath, opts.kbuildDir))) throw new SourceError(`${spec}: no directory ${opts.kbuildDir} inside it (--kbuild-dir)`);
  if (!opts.name || !opts.version) {
    throw new SourceError(`${spec} has no dkms.conf: pass --name and --version to build it as a plain Kbuild tree`);
  }
  if (!isValidModuleVersion(opts.version)) throw new SourceError(`--version "${opts.version}" is not a valid module version`);
  return {
    spec,
    kind: "kbuild",
    dkmsName: opts.name,
    dkmsVersion: opts.version,
    slug: moduleSlugFromName(opts.name),
    version: opts.version,
    dir: asPath,
    conf: null,
    ...(opts.kbuildDir ? { kbuildSubdir: opts.kbuildDir } : {}),
  };
}

/** Resolve every --module argument, in order; failures come back as SourceError values. */
export async function resolveModules(specs: string[], opts: ResolveOptions): Promise<Array<ModuleSource | SourceError>> {
  const out = new Array<ModuleSource | SourceError>(specs.length);
  const debIdx: number[] = [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    const asPath = path.resolve(spec);
    if (existsSync(asPath) && statSync(asPath).isDirectory()) {
      try {
        out[i] = await resolveDirectory(spec, asPath, opts);
      } catch (e) {
        out[i] = e instanceof SourceError ? e : new SourceError(String(e));
      }
    } else if (spec.includes("/")) out[i] = new SourceError(`${spec}: no such directory`);
    else debIdx.push(i);
  }
  const debs = await fromDebianPackages(debIdx.map((i) => specs[i]), opts.workRoot);
  debIdx.forEach((i, j) => (out[i] = debs[j]));
  return out;
}

/** `uname -m` of this host (x86_64, aarch64 …). */
export function hostArch(): string {
  return os.machine();
}
