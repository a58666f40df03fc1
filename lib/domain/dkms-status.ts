import { compareModuleVersions } from "./module-version";

/**
 * `dkms status` output as sysadmins paste it. Two generations of the format exist:
 *   dkms 2.x  `zfs, 2.2.4, 6.8.0-45-generic, x86_64: installed`   `zfs, 2.2.4: added`
 *   dkms 3.x  `zfs/2.2.4, 6.8.0-45-generic, x86_64: installed`    `zfs/2.2.4: added`
 * dkms 3.0 still prints weak installs the old way (`…: installed-weak from 5.14.0-70.el9.x86_64`),
 * and `built`/`installed` lines may end in notes such as `(original_module exists)` or
 * `(WARNING! Diff between built and installed module!)`. Blank lines are ignored; every other line
 * that is not a status line (prompts, `Error! …`, deprecation warnings) is reported with its number.
 */
export const DKMS_STATES = ["added", "built", "installed", "installed-weak", "broken"] as const;
export type DkmsState = (typeof DKMS_STATES)[number];

export const DKMS_STATE_MEANING: Record<DkmsState, string> = {
  added: "source registered, not built for any kernel",
  built: "built for that kernel, not installed",
  installed: "built and installed for that kernel",
  "installed-weak": "a build for another kernel is used through weak-updates (RHEL kABI)",
  broken: "the DKMS tree entry is damaged (e.g. its source directory is gone)",
};

export interface DkmsEntry {
  /** 1-based line number in the pasted text */
  line: number;
  format: "dkms2" | "dkms3";
  module: string;
  version: string;
  kernel: string | null;
  arch: string | null;
  state: DkmsState;
  /** `installed-weak from <kernel>`: the kernel the module was built for */
  weakFrom: string | null;
  /** the parenthesised notes, without parentheses */
  notes: string[];
}

export interface DkmsProblem {
  line: number;
  text: string;
  reason: string;
}

export interface DkmsStatus {
  entries: DkmsEntry[];
  problems: DkmsProblem[];
}

const STATE_RE = /^(?<head>[^:]+):\s*(?<state>installed-weak|installed|built|added|broken)(?<rest>(?=[\s(]|$).*)$/;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const VERSION_RE = /^[A-Za-z0-9][A-Za-z0-9._+~-]*$/;
const KERNEL_RE = /^[0-9][\x21-\x7e]*$/;
const ARCH_RE = /^[A-Za-z0-9_]+$/;
const NOTE_RE = /^\s*\(([^()]*)\)/;
const SHOWN_MAX = 200;

const STATUS_EXAMPLE = "expected `name/version, kernel, arch: state` (dkms 3) or `name, version, kernel, arch: state` (dkms 2)";

function shown(text: string): string {
  return text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX)}…` : text;
}

type Parsed = { ok: true; entry: Omit<DkmsEntry, "line"> } | { ok: false; reason: string };

function parseLine(line: string): Parsed {
  const m = STATE_RE.exec(line);
  if (!m?.groups) {
    if (/^error!/i.test(line)) return { ok: false, reason: "a dkms error message, not a status line" };
    const word = /:\s*(\S+)/.exec(line)?.[1];
    if (word && /[,/]/.test(line.split(":")[0])) return { ok: false, reason: `unknown state "${word}" (known: ${DKMS_STATES.join(", ")})` };
    return { ok: false, reason: `not a dkms status line: ${STATUS_EXAMPLE}` };
  }
  const { head, state, rest } = m.groups;
  const parts = head.split(",").map((p) => p.trim());
  let format: DkmsEntry["format"];
  let name: string;
  let version: string;
  let tail: string[];
  if (parts[0].includes("/")) {
    format = "dkms3";
    const slash = parts[0].indexOf("/");
    name = parts[0].slice(0, slash);
    version = parts[0].slice(slash + 1);
    tail = parts.slice(1);
  } else {
    format = "dkms2";
    if (parts.length < 2) return { ok: false, reason: `no module version: ${STATUS_EXAMPLE}` };
    name = parts[0];
    version = parts[1];
    tail = parts.slice(2);
  }
  if (tail.length !== 0 && tail.length !== 2) return { ok: false, reason: `expected a kernel and an arch after the version, got ${tail.length} field(s)` };
  if (!NAME_RE.test(name)) return { ok: false, reason: `invalid module name "${shown(name)}"` };
  if (!VERSION_RE.test(version)) return { ok: false, reason: `invalid module version "${shown(version)}" for ${name}` };
  const [kernel = null, arch = null] = tail;
  if (kernel !== null && !KERNEL_RE.test(kernel)) return { ok: false, reason: `invalid kernel "${shown(kernel)}"` };
  if (arch !== null && !ARCH_RE.test(arch)) return { ok: false, reason: `invalid arch "${shown(arch)}"` };
  if (kernel === null && state !== "added" && state !== "broken") {
    return { ok: false, reason: `state "${state}" needs a kernel and an arch: ${STATUS_EXAMPLE}` };
  }

  let more = rest;
  let weakFrom: string | null = null;
  const from = /^\s+from\s+(\S+)/.exec(more);
  if (from) {
    weakFrom = from[1];
    more = more.slice(from[0].length);
  }
  const notes: string[] = [];
  for (let n = NOTE_RE.exec(more); n; n = NOTE_RE.exec(more)) {
    notes.push(n[1].trim());
    more = more.slice(n[0].length);
  }
  if (more.trim() !== "") notes.push(more.trim());
  return { ok: true, entry: { format, module: name, version, kernel, arch, state: state as DkmsState, weakFrom, notes } };
}

export function parseDkmsStatus(text: string): DkmsStatus {
  const entries: DkmsEntry[] = [];
  const problems: DkmsProblem[] = [];
  text.split(/\r?\n|\r/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const parsed = parseLine(line);
    if (parsed.ok) entries.push({ line: i + 1, ...parsed.entry });
    else problems.push({ line: i + 1, text: shown(line), reason: parsed.reason });
  });
  return { entries, problems };
}

export interface ModuleToCheck {
  /** as dkms names it */
  module: string;
  /** the version DKMS would build for a new kernel: the newest one it knows */
  version: string;
  /** the arch of its lines, when they name exactly one */
  arch: string | null;
  /** older versions also present; DKMS autoinstall builds only the newest */
  otherVersions: string[];
  /** states of the chosen version's lines, e.g. ["installed"] */
  states: DkmsState[];
  lines: number[];
}

/**
 * The module versions a new kernel would get: `dkms autoinstall` builds, for each module, only the
 * newest version it holds, whatever state the others are in.
 */
export function modulesToCheck(entries: readonly DkmsEntry[]): ModuleToCheck[] {
  const byModule = new Map<string, DkmsEntry[]>();
  for (const e of entries) byModule.set(e.module, [...(byModule.get(e.module) ?? []), e]);
  return [...byModule.entries()].map(([module, list]) => {
    const versions = [...new Set(list.map((e) => e.version))].sort((a, b) => compareModuleVersions(b, a));
    const chosen = list.filter((e) => e.version === versions[0]);
    const arches = [...new Set(chosen.flatMap((e) => (e.arch ? [e.arch] : [])))];
    return {
      module,
      version: versions[0],
      arch: arches.length === 1 ? arches[0] : null,
      otherVersions: versions.slice(1),
      states: [...new Set(chosen.map((e) => e.state))],
      lines: chosen.map((e) => e.line),
    };
  });
}
