/**
 * Build environments: the host, or a minimal chroot of a Debian release made with mmdebstrap.
 * A kernel's headers expect the compiler its release was built with, so a Debian 13 kernel is built
 * in a trixie chroot on a Debian 12 host (lib/domain/build-environment.ts decides which).
 *
 * Layout under the environments directory (MODCOMPAT_ENVS_DIR, default /var/cache/modcompat/envs):
 *   <name>/root       the chroot
 *   <name>/env.json   what it was made from (release, suites, mirror, packages, date)
 *
 * A build inside a chroot runs under `unshare --mount`: /proc and /dev are mounted in a private
 * mount namespace that disappears with the build's last process, so nothing is left mounted on the
 * host, not even after a kill -9 (tests/integration/build-env.test.ts checks /proc/self/mountinfo).
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, lstatSync, promises as fs, readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { HOST_ENV, parseCompilerText, type CompilerId } from "../domain/build-environment";

const execFileP = promisify(execFile);

export const DEFAULT_ENVS_DIR = "/var/cache/modcompat/envs";

export function envsDir(): string {
  return process.env.MODCOMPAT_ENVS_DIR || DEFAULT_ENVS_DIR;
}

/** Debian releases a chroot can be made of, with the suites it draws from (main + contrib). */
export const RELEASES: Record<string, { suites: string[]; description: string }> = {
  bullseye: { suites: ["bullseye", "bullseye-security"], description: "Debian 11 (gcc 10): 5.10 kernels" },
  bookworm: { suites: ["bookworm", "bookworm-security", "bookworm-backports"], description: "Debian 12 (gcc 12): 6.1 and 6.12+deb12 kernels" },
  trixie: { suites: ["trixie", "trixie-security", "trixie-backports"], description: "Debian 13 (gcc 14): 6.12+deb13, and 7.x from trixie-backports" },
  sid: { suites: ["sid", "experimental"], description: "Debian unstable (newest gcc): sid kernels and experimental rc kernels" },
};

/** apt source lines for a release: -security suites come from the security archive. */
export function aptSourceLines(release: string, mirror: string, securityMirror = securityMirrorFor(mirror)): string[] {
  const rel = RELEASES[release];
  if (!rel) return [];
  return rel.suites.map((s) => `deb ${s.endsWith("-security") ? securityMirror : mirror} ${s} main contrib`);
}

function securityMirrorFor(mirror: string): string {
  try {
    const m = /^URIs:\s*(\S*security\S*)/m.exec(readFileSync("/etc/apt/sources.list.d/debian.sources", "utf8"));
    if (m) return m[1];
  } catch {
    /* derive it */
  }
  return mirror.replace(/\/debian\/?$/, "/debian-security");
}

/** dkms, a compiler, and the userspace tools *-dkms packages declare for their builds. */
export const BASE_PACKAGES = ["build-essential", "dkms", "kmod", "openssl", "gawk", "libelf-dev", "pkg-config"];

export interface EnvMeta {
  name: string;
  release: string;
  suites: string[];
  mirror: string;
  packages: string[];
  createdAt: string;
}

export interface BuildEnvironment {
  name: string;
  /** "/" for the host */
  root: string;
  release: string;
  compiler: CompilerId | null;
  compilerText: string | null;
  dkms: string | null;
}

export class EnvError extends Error {}

function envPath(name: string, ...rest: string[]): string {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name) || name === HOST_ENV) throw new EnvError(`invalid environment name "${name}" (lower-case letters, digits, . _ -; not "host")`);
  return path.join(envsDir(), name, ...rest);
}

async function run(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileP(cmd, args, { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: "C", DEBIAN_FRONTEND: "noninteractive" } });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new EnvError(`${cmd} ${args.slice(0, 6).join(" ")} failed: ${(err.stderr || err.message).trim().split("\n").slice(-4).join(" | ")}`);
  }
}

/** Commands to run something inside `root`; the host runs it directly. */
export function inEnv(root: string, cmd: string, args: string[]): { cmd: string; args: string[] } {
  if (root === "/") return { cmd, args };
  const script = 'set -e; R="$1"; shift; mount -t proc proc "$R/proc"; mount --rbind /dev "$R/dev"; exec chroot "$R" "$@"';
  return { cmd: "unshare", args: ["--mount", "--propagation", "private", "--", "sh", "-c", script, "modcompat-env", root, cmd, ...args] };
}

async function compilerOf(root: string): Promise<string | null> {
  try {
    const { cmd, args } = inEnv(root, "gcc", ["--version"]);
    return (await run(cmd, args)).split("\n")[0].trim() || null;
  } catch {
    return null;
  }
}

async function dkmsOf(root: string): Promise<string | null> {
  try {
    const { cmd, args } = inEnv(root, "dkms", ["--version"]);
    return (await run(cmd, args)).trim() || null;
  } catch {
    return null;
  }
}

export function readEnvMeta(name: string): EnvMeta | null {
  try {
    return JSON.parse(readFileSync(envPath(name, "env.json"), "utf8")) as EnvMeta;
  } catch {
    return null;
  }
}

/** Every environment under envsDir() that has a root, by name. */
export function envNames(): string[] {
  const dir = envsDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /^[a-z0-9][a-z0-9._-]*$/.test(n) && existsSync(path.join(dir, n, "root", "usr")))
    .sort();
}

export async function loadEnvironment(name: string): Promise<BuildEnvironment> {
  if (name === HOST_ENV) {
    const text = await compilerOf("/");
    return { name: HOST_ENV, root: "/", release: hostRelease(), compiler: parseCompilerText(text), compilerText: text, dkms: await dkmsOf("/") };
  }
  const root = envPath(name, "root");
  if (!existsSync(path.join(root, "usr"))) throw new EnvError(`no build environment "${name}" in ${envsDir()} (see: modcompat env list)`);
  const meta = readEnvMeta(name);
  const text = await compilerOf(root);
  return { name, root, release: meta?.release ?? name, compiler: parseCompilerText(text), compilerText: text, dkms: await dkmsOf(root) };
}

function hostRelease(): string {
  try {
    const t = readFileSync("/etc/os-release", "utf8");
    return /^VERSION_CODENAME=(\S+)/m.exec(t)?.[1] ?? /^ID=(\S+)/m.exec(t)?.[1] ?? "host";
  } catch {
    return "host";
  }
}

/**
 * A path inside `root` as the host sees it, following symlinks the way the chroot would: an
 * absolute link (bullseye's /lib/modules/<k>/build → /usr/src/…) points inside root, not at the host.
 */
export function pathInRoot(root: string, p: string): string {
  if (root === "/") return p;
  const parts = p.split("/").filter(Boolean);
  let cur = root;
  for (let i = 0, hops = 0; i < parts.length; i++) {
    const next = path.join(cur, parts[i]);
    let target: string | null = null;
    try {
      if (lstatSync(next).isSymbolicLink()) target = readlinkSync(next);
    } catch {
      return path.join(next, ...parts.slice(i + 1));
    }
    if (target === null) {
      cur = next;
      continue;
    }
    if (++hops > 40) return path.join(next, ...parts.slice(i + 1));
    const rest = parts.slice(i + 1);
    const resolved = target.startsWith("/") ? target : path.join("/" + path.relative(root, cur), target);
    parts.splice(0, parts.length, ...resolved.split("/").filter(Boolean), ...rest);
    cur = root;
    i = -1;
  }
  return cur;
}

/** Kernels whose headers are installed in an environment (/lib/modules/<k>/build/Makefile). */
export function kernelsIn(root: string): string[] {
  const dir = path.join(root, "lib", "modules");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((k) => existsSync(pathInRoot(root, `/lib/modules/${k}/build/Makefile`)))
    .sort();
}

/** The mirror of the host's Debian sources (first URIs: line), for new chroots. */
export function hostMirror(): string {
  for (const f of ["/etc/apt/sources.list.d/debian.sources"]) {
    try {
      const m = /^URIs:\s*(\S+)/m.exec(readFileSync(f, "utf8"));
      if (m) return m[1];
    } catch {
      /* next */
    }
  }
  try {
    const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/m.exec(readFileSync("/etc/apt/sources.list", "utf8"));
    if (m) return m[1];
  } catch {
    /* none */
  }
  return "http://deb.debian.org/debian";
}

export interface CreateOptions {
  name: string;
  release: string;
  /** extra packages, e.g. linux-headers-7.3.4+deb13-amd64 */
  packages: string[];
  mirror?: string;
  /** progress lines */
  log?: (line: string) => void;
}

/** Mounts under a directory, from /proc/self/mountinfo (field 5 is the mount point). */
export function mountsUnder(dir: string): string[] {
  const prefix = path.resolve(dir) + "/";
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[4])
    .filter((m): m is string => Boolean(m) && (m + "/").startsWith(prefix));
}

/**
 * Create an environment with mmdebstrap (root only, explicit), or, when it exists, install the
 * extra packages into it. Packages only experimental has are installed with `-t experimental`.
 */
export async function createEnvironment(o: CreateOptions): Promise<BuildEnvironment> {
  const rel = RELEASES[o.release];
  if (!rel) throw new EnvError(`unknown release "${o.release}": one of ${Object.keys(RELEASES).join(", ")}`);
  if (process.getuid?.() !== 0) throw new EnvError("creating a build environment needs root (mmdebstrap, chroot)");
  const root = envPath(o.name, "root");
  const mirror = o.mirror ?? hostMirror();
  const log = o.log ?? (() => {});
  await fs.mkdir(path.dirname(root), { recursive: true });
  if (!existsSync(path.join(root, "usr"))) {
    try {
      await run("mmdebstrap", ["--version"]);
    } catch {
      throw new EnvError("mmdebstrap is not installed: apt-get install mmdebstrap");
    }
    log(`creating ${o.name} (${o.release}: ${rel.suites.join(", ")}) in ${root} with mmdebstrap; this takes minutes`);
    await fs.rm(root, { recursive: true, force: true });
    await streamed("mmdebstrap", [
      "--variant=apt",
      "--components=main,contrib",
      '--aptopt=Acquire::Check-Valid-Until "false"',
      `--include=${BASE_PACKAGES.join(",")}`,
      rel.suites[0],
      root,
      ...aptSourceLines(o.release, mirror),
    ], log);
  }
  // Older environments may predate a suite in RELEASES (security updates carry the newest ABIs).
  await fs.writeFile(path.join(root, "etc/apt/sources.list"), aptSourceLines(o.release, mirror).join("\n") + "\n");
  const meta: EnvMeta = readEnvMeta(o.name) ?? { name: o.name, release: o.release, suites: rel.suites, mirror, packages: [...BASE_PACKAGES], createdAt: new Date().toISOString() };
  const wanted = o.packages.filter((p) => !meta.packages.includes(p) || !isInstalled(root, p));
  if (wanted.length > 0) {
    log(`installing into ${o.name}: ${wanted.join(" ")}`);
    const apt = (args: string[]) => {
      const { cmd, args: a } = inEnv(root, "apt-get", ["-o", "Acquire::Check-Valid-Until=false", "-o", "DPkg::Lock::Timeout=600", ...args]);
      return streamed(cmd, a, log);
    };
    await apt(["update", "-q"]);
    for (const p of wanted) {
      try {
        await apt(["install", "-y", "-q", "--no-install-recommends", p]);
      } catch (e) {
        if (!rel.suites.includes("experimental")) throw e;
        await apt(["install", "-y", "-q", "--no-install-recommends", "-t", "experimental", p]);
      }
      if (!meta.packages.includes(p)) meta.packages.push(p);
    }
  }
  await fs.writeFile(envPath(o.name, "env.json"), JSON.stringify(meta, null, 2) + "\n");
  return loadEnvironment(o.name);
}

function isInstalled(root: string, pkg: string): boolean {
  try {
    const status = readFileSync(path.join(root, "var/lib/dpkg/status"), "utf8");
    return new RegExp(`^Package: ${pkg.replace(/[.+]/g, "\\$&")}\\nStatus: install ok installed`, "m").test(status);
  } catch {
    return false;
  }
}

function streamed(cmd: string, args: string[], log: (l: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C", DEBIAN_FRONTEND: "noninteractive" } });
    let tail = "";
    const on = (b: Buffer) => {
      const s = b.toString("utf8");
      tail = (tail + s).slice(-4000);
      for (const l of s.split("\n")) if (/^(?:I:|E:|W:|Setting up linux-headers|Unpacking linux-headers)/.test(l)) log(`  ${l.trim()}`);
    };
    child.stdout.on("data", on);
    child.stderr.on("data", on);
    child.on("error", (e) => reject(new EnvError(`${cmd}: ${e.message}`)));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new EnvError(`${cmd} exited with ${code}: ${tail.trim().split("\n").slice(-4).join(" | ")}`))));
  });
}

export async function removeEnvironment(name: string): Promise<void> {
  const dir = envPath(name);
  if (!existsSync(dir)) throw new EnvError(`no build environment "${name}" in ${envsDir()}`);
  const mounts = mountsUnder(dir);
  if (mounts.length > 0) throw new EnvError(`${name} still has mounts (${mounts.join(", ")}); a build may be running in it`);
  await fs.rm(dir, { recursive: true, force: true });
}

export async function envSize(name: string): Promise<string | null> {
  try {
    return (await run("du", ["-sh", envPath(name)])).split("\t")[0];
  } catch {
    return null;
  }
}
