/**
 * Which environment builds a module for a kernel. A kernel's headers expect the compiler its
 * release was built with (Debian 11: gcc 10, 12: gcc 12, 13: gcc 14, sid: gcc 16); the headers say
 * which in CONFIG_CC_VERSION_TEXT. The host builds when its compiler matches; otherwise a chroot of
 * the kernel's release does. Pure: the runner gathers the facts, this decides.
 */

export interface CompilerId {
  family: "gcc" | "clang";
  major: number;
  /** "14.2.0" */
  version: string;
}

/**
 * "x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0", "gcc (Debian 12.2.0-14+deb12u1) 12.2.0",
 * "Debian clang version 16.0.6 (15)" → family and version; null when unreadable.
 */
export function parseCompilerText(text: string | undefined | null): CompilerId | null {
  if (!text) return null;
  const t = text.trim().replace(/^"|"$/g, "");
  const family = /\bclang\b/.test(t) ? "clang" : /\bgcc\b|gcc-\d+|\bcc\b/.test(t) ? "gcc" : null;
  if (!family) return null;
  // The release version is the last x.y.z on the line (the package revision sits in parentheses).
  const versions = [...t.replace(/\([^)]*\)/g, " ").matchAll(/(?<![\w.])(\d+)\.(\d+)(?:\.(\d+))?(?![\w.])/g)];
  const last = versions.at(-1);
  if (!last) return null;
  return { family, major: Number(last[1]), version: last[0] };
}

export function sameCompiler(a: CompilerId | null, b: CompilerId | null): boolean {
  return a !== null && b !== null && a.family === b.family && a.major === b.major;
}

export function describeCompiler(c: CompilerId | null): string {
  return c ? `${c.family} ${c.major}` : "an unknown compiler";
}

export const HOST_ENV = "host";

export interface EnvCandidate {
  /** "host" or a chroot's name */
  name: string;
  compiler: CompilerId | null;
  /** this environment has /lib/modules/<kernel>/build */
  hasHeaders: boolean;
  /** the compiler text of the headers as installed in this environment */
  kernelCompilerText?: string;
}

export type EnvChoice = { ok: true; env: string; reason: string } | { ok: false; reason: string };

/**
 * Pick the environment for one kernel.
 * - `forced` (from --env) wins when it has the headers; otherwise it is an error, never a silent switch.
 * - Otherwise the environments that have the headers and whose compiler matches the headers'
 *   (same family and major version), the host first, then by name.
 * - None: an error naming the compiler needed, so the user knows which chroot to create.
 */
export function selectEnvironment(kernel: string, candidates: readonly EnvCandidate[], forced?: string): EnvChoice {
  if (forced) {
    const env = candidates.find((c) => c.name === forced);
    if (!env) return { ok: false, reason: `no build environment named "${forced}" (see: modcompat env list)` };
    if (!env.hasHeaders) return { ok: false, reason: `environment ${forced} has no headers for ${kernel} (/lib/modules/${kernel}/build)` };
    return { ok: true, env: forced, reason: `--env ${forced}` };
  }
  const withHeaders = candidates.filter((c) => c.hasHeaders);
  if (withHeaders.length === 0) return { ok: false, reason: `no environment has headers for ${kernel} (/lib/modules/${kernel}/build)` };
  const matching = withHeaders
    .filter((c) => sameCompiler(c.compiler, parseCompilerText(c.kernelCompilerText)))
    .sort((a, b) => Number(b.name === HOST_ENV) - Number(a.name === HOST_ENV) || a.name.localeCompare(b.name));
  if (matching.length > 0) {
    const env = matching[0];
    return { ok: true, env: env.name, reason: `${describeCompiler(env.compiler)} matches the headers' compiler` };
  }
  const needed = parseCompilerText(withHeaders[0].kernelCompilerText);
  if (!needed) {
    // Headers that do not say their compiler (old kernels): the first environment that has them.
    const env = withHeaders.find((c) => c.name === HOST_ENV) ?? withHeaders[0];
    return { ok: true, env: env.name, reason: "the headers do not name their compiler" };
  }
  const have = withHeaders.map((c) => `${c.name}: ${describeCompiler(c.compiler)}`).join(", ");
  return {
    ok: false,
    reason: `${kernel} was built with ${describeCompiler(needed)} and no environment with its headers has it (${have}); create one with \`modcompat env create <release>\``,
  };
}
