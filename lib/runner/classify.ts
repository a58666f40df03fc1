/**
 * Outcome classification of one module × kernel build. Pure: the caller gathers the facts (exit
 * code, logs, pre-build checks) and this decides pass / fail / error / skip and a short reason.
 *
 *   pass  – the build succeeded.
 *   fail  – the module's own code does not compile or link against this kernel: compiler `error:`
 *           lines, modpost undefined symbols, a missing *kernel* header (linux/genhd.h,
 *           asm/unaligned.h: a kernel API change).
 *   error – the environment is at fault: headers not installed, a userspace tool, library or header
 *           missing (libelf.h, `command not found`, pkg-config), configure lacking tools, timeout,
 *           dkms itself failing. Not a verdict on the module.
 *   skip  – the module declines the kernel: a BUILD_EXCLUSIVE rule (ours before building, or dkms's
 *           exit 77 for rules only dkms can evaluate), or its configure step refuses the version.
 */
import type { Status } from "../domain/status";
import { COMPILER_ERROR, MODPOST, extractErrorLine, normaliseQuotes } from "../domain/error-line";
import { compareKernelToBound } from "./dkms-conf";

export interface BuildFacts {
  kernel: string;
  /** /lib/modules/<kernel>/build does not exist */
  headersMissing?: boolean;
  /** reasons from the static BUILD_EXCLUSIVE evaluation; non-empty means the build was not run */
  excludedBy?: readonly string[];
  timedOut?: boolean;
  timeoutSeconds?: number;
  /** exit code of `dkms build` (or of make for plain Kbuild trees); null when killed by a signal */
  exitCode: number | null;
  /** the runner used dkms (exit codes 10 and 77 have dkms meanings) */
  viaDkms: boolean;
  /** what dkms (or make) printed on stdout/stderr */
  output: string;
  /** the build's make.log, when dkms wrote one */
  makeLog?: string | null;
  /** BUILD_EXCLUSIVE_* names dkms.conf sets only conditionally (so only dkms can evaluate them) */
  conditionalExclusive?: readonly string[];
  /** the runner itself failed before or around the build (spawn error, copy failure …) */
  runnerError?: string | null;
  /** the module's own header files (paths relative to its tree): when the compiler cannot find one
   *  of these, the kernel's build system changed under the module (IET's EXTRA_CFLAGS include path
   *  on 7.x), which is a failure of the module, not a missing userspace package */
  moduleHeaders?: readonly string[];
}

export interface Classification {
  status: Status;
  /** one-line cause shown in the matrix; null for pass */
  errorLine: string | null;
  /** which rule decided, for debugging and tests */
  rule: string;
}

/** Headers that come from the kernel tree: missing ones mean the kernel API moved. */
const KERNEL_HEADER_PREFIX =
  /^(?:linux|asm|asm-generic|uapi|generated|net|crypto|media|drm|sound|scsi|trace|acpi|video|xen|rdma|keys|clocksource|dt-bindings|vdso|soc|kunit|pcmcia|misc|math-emu|ras|target|kvm|memory|ufs|pci)\//;

/**
 * The C standard headers: the toolchain (gcc and libc6-dev, both in build-essential) provides them
 * to every userspace build, so they are never a missing package. A module that cannot find one was
 * compiled the kernel's way (-nostdinc; since Linux 5.15 without gcc's own include directory), so
 * the kernel's build changed under it: a failure of the module (dahdi 2.11's <stdbool.h> on 6.1+).
 */
const C_STANDARD_HEADERS = new Set(
  "assert complex ctype errno fenv float inttypes iso646 limits locale math setjmp signal stdalign stdarg stdatomic stdbool stddef stdint stdio stdlib stdnoreturn string tgmath threads time uchar wchar wctype varargs"
    .split(" ")
    .map((h) => `${h}.h`),
);

const MISSING_HEADER = /^(?:\S+?:\d+(?::\d+)?:\s*)?fatal error:\s*[‘'"`]?([^‘’'"`:\s]+)[’'"`]?:\s*No such file or directory/;

/** dkms 3's message when a BUILD_EXCLUSIVE rule evaluated inside dkms.conf excludes the kernel. */
const DKMS_EXCLUSIVE = /includes a BUILD_EXCLUSIVE directive which does not match this kernel\/arch\/config/;

/** OpenZFS config/kernel.m4: "*** Cannot build against kernel version X. *** The maximum supported kernel version is Y." */
const CONFIGURE_REFUSAL = /\*\*\*\s*Cannot build against kernel version\s+(\S+?)\.?\s*$/m;
const REFUSAL_BOUND = /\*\*\*\s*The (maximum|minimum) supported kernel version is\s+(\S+?)\.?\s*$/m;
/**
 * OpenZFS's configure when a kernel interface it probes for is gone: "*** None of the expected
 * "file_fallocate" interfaces were detected. *** This may be because your kernel version is newer
 * than what is supported … *** Compatible Kernels: 3.10 - 6.2". Outside the stated range this is the
 * module declining the kernel (skip); inside it, a genuine incompatibility (fail).
 */
const ZFS_INTERFACE = /\*\*\*\s*None of the expected "([^"]+)" interfaces were detected/;
const ZFS_COMPATIBLE = /\*\*\*\s*Compatible Kernels:\s*(\S+)\s*-\s*(\S+)/;

/** other modules' wording for the same refusal */
const GENERIC_REFUSAL =
  /^(?:.*?\b(?:kernel(?: version)? [\w.+~-]+ is (?:not supported|too (?:new|old|recent))|unsupported kernel version\b.*|this (?:module|driver) (?:does not|doesn't) support kernel\b.*))$/im;

interface EnvPattern {
  re: RegExp;
  reason: (m: RegExpExecArray) => string;
}

/** Lines that blame the build environment rather than the module. */
const ENV_PATTERNS: EnvPattern[] = [
  { re: /^(?:.*?:\s*)?(?:line \d+:\s*)?([\w.+-]+): command not found\s*$/, reason: (m) => `missing tool: ${m[1]} (command not found)` },
  { re: /^(?:\/bin\/)?(?:ba|da)?sh: (?:\d+: )?(?:line \d+: )?([\w.+/-]+): not found\s*$/, reason: (m) => `missing tool: ${m[1]} (not found)` },
  { re: /^make(?:\[\d+\])?: ([\w.+/-]+): No such file or directory\s*$/, reason: (m) => `missing tool: ${m[1]}` },
  { re: /^make(?:\[\d+\])?: \*\*\* No rule to make target '?(?:[^']*\/)?include\/(?:generated\/autoconf\.h|config\/auto\.conf)/, reason: () => "kernel headers incomplete (autoconf.h / auto.conf missing)" },
  { re: /\bno ([\w.+-]+) binary found\b/i, reason: (m) => `missing tool: ${m[1]} (no ${m[1]} binary found)` },
  { re: /^!?\s*Error: Can ?not find (.+?)(?:, try .*)?$/i, reason: (m) => `configure: cannot find ${normaliseQuotes(m[1])}` },
  { re: /^No package '([^']+)' found/, reason: (m) => `missing pkg-config package: ${m[1]}` },
  { re: /^Package (\S+) was not found in the pkg-config search path/, reason: (m) => `missing pkg-config package: ${m[1]}` },
  { re: /pkg-config:\s*(?:command )?not found/, reason: () => "missing tool: pkg-config" },
  { re: /^configure: error: (?:no acceptable C compiler|C compiler cannot create executables)/, reason: (m) => `configure: ${m[0].replace(/^configure: error:\s*/, "")}` },
  { re: /^configure: error: .*\b(?:not found|is required|cannot find|could not find|missing)\b.*$/i, reason: (m) => normaliseQuotes(m[0]).replace(/^configure: error:\s*/, "configure: ") },
  { re: /^\s*\*\*\* Unable to build an empty module\.?/, reason: () => "configure: unable to build an empty module (kernel headers or compiler broken)" },
  { re: /^ERROR: Kernel configuration is invalid\./, reason: () => "kernel headers incomplete (kernel configuration is invalid)" },
  { re: /^\/bin\/sh: \d+: (\S+): Permission denied/, reason: (m) => `cannot execute ${m[1]} (permission denied)` },
  { re: /No space left on device/, reason: () => "no space left on device" },
  { re: /virtual memory exhausted|Cannot allocate memory|Killed signal terminated program cc1/, reason: () => "out of memory" },
];

const LINK_ERROR = /undefined reference to|^ld(?:\.bfd)?: .*error/;

function firstLine(text: string, re: RegExp): RegExpExecArray | null {
  for (const raw of text.split(/\r?\n/)) {
    const m = re.exec(raw.trim());
    if (m) return m;
  }
  return null;
}

/** The header named by a missing-include error and whether it belongs to the kernel tree. */
export function missingHeader(line: string): { header: string; kernel: boolean; standard: boolean } | null {
  const m = MISSING_HEADER.exec(line.trim());
  if (!m) return null;
  const header = m[1];
  return { header, kernel: KERNEL_HEADER_PREFIX.test(header), standard: C_STANDARD_HEADERS.has(header) };
}

const USERSPACE_HEADER_REASON = "missing userspace header: ";

/**
 * A result stored by an older runner (a --resume state file) judged again by today's header rule:
 * an "environment" error that blamed a C standard header becomes the module's compile failure. Only
 * that rule is replayed, from the log the result kept; everything else stays as it was recorded.
 */
export function rejudgeStored<R extends { status: Status; errorLine?: string | null; log?: string | null }>(r: R): R {
  if (r.status !== "error" || !r.errorLine?.startsWith(USERSPACE_HEADER_REASON)) return r;
  if (!C_STANDARD_HEADERS.has(r.errorLine.slice(USERSPACE_HEADER_REASON.length))) return r;
  const log = r.log ?? "";
  const line = log.split(/\r?\n/).find((l) => missingHeader(l)?.standard);
  return { ...r, status: "fail", errorLine: clip(extractErrorLine(log) ?? line?.trim() ?? r.errorLine) };
}

/**
 * Walk the log in order and return the first line that states a cause: the earliest of a compiler
 * error, a modpost error, or an environment complaint decides (a missing tool early in the build is
 * why later compile errors happen, and vice versa).
 */
function firstCause(log: string, moduleHeaders: readonly string[] = []): { kind: "compile" | "env"; line: string; reason?: string } | null {
  for (const raw of log.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const mh = missingHeader(line);
    if (mh) {
      const own = moduleHeaders.some((h) => h === mh.header || h.endsWith(`/${mh.header}`));
      return mh.kernel || own || mh.standard
        ? { kind: "compile", line }
        : { kind: "env", line, reason: `${USERSPACE_HEADER_REASON}${mh.header}` };
    }
    if (COMPILER_ERROR.test(line) || MODPOST.test(line)) return { kind: "compile", line };
    for (const p of ENV_PATTERNS) {
      const m = p.re.exec(line);
      if (m) return { kind: "env", line, reason: p.reason(m) };
    }
  }
  return null;
}

/** dkms's own chatter, which explains nothing about the module. */
const DKMS_CHATTER = /^(?:Creating symlink|Sign command|Signing key|Public certificate|Certificate or key|Building module|Cleaning build area|make -j|readelf|Consult |This indicates|Deprecated feature)/;

/** A dkms.conf that excludes a kernel often says why on stderr just before dkms's "Error!". */
export function exclusionHint(output: string): string | null {
  const lines = output.split(/\r?\n/);
  const end = lines.findIndex((l) => /^Error!/.test(l.trim()));
  const before = (end < 0 ? lines : lines.slice(0, end)).map((l) => l.trim()).filter((l) => l && !DKMS_CHATTER.test(l));
  const hint = before
    .slice(-3)
    .map((l) => l.replace(/\.$/, ""))
    .join("; ");
  return hint && hint.length <= 300 ? normaliseQuotes(hint) : null;
}

function dkmsErrorLine(output: string): string | null {
  const m = firstLine(output, /^Error!\s*(.+)$/);
  return m ? normaliseQuotes(m[1]).trim() : null;
}

function clip(s: string, max = 1000): string {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > max ? t.slice(0, max - 1) + "…" : t;
}

export function classifyBuild(f: BuildFacts): Classification {
  if (f.headersMissing) {
    return {
      status: "error",
      errorLine: `kernel headers not installed: /lib/modules/${f.kernel}/build does not exist`,
      rule: "headers-missing",
    };
  }
  if (f.excludedBy && f.excludedBy.length > 0) {
    return { status: "skip", errorLine: clip(f.excludedBy.join("; ")), rule: "build-exclusive-static" };
  }
  if (f.timedOut) {
    const secs = f.timeoutSeconds !== undefined ? `${Math.round(f.timeoutSeconds)} s` : "the time limit";
    return { status: "error", errorLine: `timed out after ${secs}`, rule: "timeout" };
  }
  if (f.runnerError) return { status: "error", errorLine: clip(`runner: ${f.runnerError}`), rule: "runner-error" };
  if (f.exitCode === 0) return { status: "pass", errorLine: null, rule: "exit-0" };

  const output = f.output ?? "";
  const makeLog = f.makeLog ?? "";
  const all = `${output}\n${makeLog}`;

  if (f.viaDkms && (f.exitCode === 77 || DKMS_EXCLUSIVE.test(output))) {
    const which = f.conditionalExclusive?.length ? ` (conditional ${f.conditionalExclusive.join(", ")})` : "";
    const hint = exclusionHint(output);
    return {
      status: "skip",
      errorLine: clip(`dkms.conf BUILD_EXCLUSIVE rule${which} excludes this kernel${hint ? `: ${hint}` : ""}`),
      rule: "build-exclusive-dkms",
    };
  }

  const refusal = CONFIGURE_REFUSAL.exec(all);
  if (refusal) {
    const bound = REFUSAL_BOUND.exec(all);
    const tail = bound ? `; the ${bound[1]} supported kernel version is ${bound[2]}` : "";
    return { status: "skip", errorLine: `configure refuses kernel ${refusal[1]}${tail}`, rule: "configure-refusal" };
  }
  const iface = ZFS_INTERFACE.exec(all);
  if (iface) {
    const range = ZFS_COMPATIBLE.exec(all);
    if (range) {
      const below = compareKernelToBound(f.kernel, range[1]);
      const above = compareKernelToBound(f.kernel, range[2]);
      if ((below !== null && below < 0) || (above !== null && above > 0)) {
        return {
          status: "skip",
          errorLine: `configure: kernel ${f.kernel} is outside the supported range ${range[1]} - ${range[2]} (no '${iface[1]}' interface)`,
          rule: "configure-refusal",
        };
      }
    }
    return { status: "fail", errorLine: `configure: none of the expected '${iface[1]}' interfaces were detected`, rule: "configure-error" };
  }
  const generic = GENERIC_REFUSAL.exec(all);
  if (generic) return { status: "skip", errorLine: clip(normaliseQuotes(generic[0])), rule: "configure-refusal" };

  if (f.exitCode === null) {
    return { status: "error", errorLine: "build killed by a signal", rule: "killed" };
  }

  // PRE_BUILD (configure) output lands in dkms's own output, the compiler's in make.log. A build
  // that got as far as make failing on something is judged by make.log; configure's complaints
  // (e.g. iptables-netflow's "no iptables binary found", after which it carries on) only decide
  // when make.log names no cause.
  const cause = firstCause(makeLog, f.moduleHeaders) ?? firstCause(output, f.moduleHeaders);
  if (cause?.kind === "env") return { status: "error", errorLine: clip(cause.reason ?? cause.line), rule: "environment" };
  if (cause?.kind === "compile") {
    return {
      status: "fail",
      errorLine: clip(extractErrorLine(makeLog) ?? extractErrorLine(output) ?? cause.line),
      rule: "compile-error",
    };
  }
  const link = firstLine(all, LINK_ERROR);
  if (link) return { status: "fail", errorLine: clip(extractErrorLine(all) ?? link[0]), rule: "link-error" };

  const cfg = firstLine(all, /^configure: error:\s*(.+)$/);
  if (cfg) return { status: "fail", errorLine: clip(`configure: ${normaliseQuotes(cfg[1])}`), rule: "configure-error" };

  if (f.viaDkms && f.exitCode !== 10) {
    // dkms stopped before or after make (bad dkms.conf, PRE_BUILD script, signing, …): not a verdict.
    const why = dkmsErrorLine(output) ?? `dkms exited with code ${f.exitCode}`;
    return { status: "error", errorLine: clip(`dkms: ${why}`), rule: "dkms-error" };
  }
  // The build failed without a diagnostic we recognise: the module's build broke on this kernel.
  const makeErr = firstLine(makeLog || output, /^make(?:\[\d+\])?: \*\*\* .+$/);
  return {
    status: "fail",
    errorLine: clip(extractErrorLine(all) ?? (makeErr ? normaliseQuotes(makeErr[0]) : "build failed (no diagnostic in the log)")),
    rule: "build-failed",
  };
}
