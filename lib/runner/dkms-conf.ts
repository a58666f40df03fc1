/**
 * dkms.conf parsing and BUILD_EXCLUSIVE evaluation. Pure: no I/O; callers pass file contents.
 *
 * A dkms.conf is a bash fragment that dkms sources. We do not run it: we read the assignments made
 * unconditionally at top level (the common case: `PACKAGE_NAME="zfs"`), and note the ones made
 * inside `if`/`case`/`&&` blocks (e.g. v4l2loopback sets BUILD_EXCLUSIVE_KERNEL only when the kernel
 * lacks CONFIG_VIDEO_DEV). Those dynamic rules are left to dkms itself, which exits 77 when they
 * exclude a kernel; the classifier turns that into `skip` as well.
 */

export interface DkmsConf {
  /** statically known top-level values, after unquoting and expansion of earlier variables */
  vars: Record<string, string>;
  /** names assigned only conditionally (inside if/case/loops or after && / ||) */
  conditional: string[];
  /** names whose value still contains command substitution or unknown variables */
  dynamic: string[];
}

type ExclusiveKey =
  | "BUILD_EXCLUSIVE_KERNEL"
  | "BUILD_EXCLUSIVE_KERNEL_MIN"
  | "BUILD_EXCLUSIVE_KERNEL_MAX"
  | "BUILD_EXCLUSIVE_ARCH"
  | "BUILD_EXCLUSIVE_CONFIG";

/** Split shell text into statements at top-level newlines and `;`, respecting quotes and $( ). */
export function splitShellStatements(text: string): string[] {
  const out: string[] = [];
  let cur = "";
  // stack of contexts: '"' double quote, "'" single quote, "(" command substitution / subshell
  const stack: string[] = [];
  let parenDepth: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const top = stack[stack.length - 1];
    if (top === "'") {
      cur += ch;
      if (ch === "'") stack.pop();
      continue;
    }
    if (ch === "\\" && i + 1 < text.length) {
      if (text[i + 1] === "\n" && top === undefined) {
        i++; // line continuation
        continue;
      }
      cur += ch + text[i + 1];
      i++;
      continue;
    }
    if (top === '"') {
      cur += ch;
      if (ch === '"') stack.pop();
      else if (ch === "$" && text[i + 1] === "(") {
        cur += "(";
        i++;
        stack.push("(");
        parenDepth.push(0);
      } else if (ch === "`") stack.push("`");
      continue;
    }
    if (top === "`") {
      cur += ch;
      if (ch === "`") stack.pop();
      continue;
    }
    if (top === "(") {
      cur += ch;
      if (ch === "'" || ch === '"' || ch === "`") stack.push(ch);
      else if (ch === "(") parenDepth[parenDepth.length - 1]++;
      else if (ch === ")") {
        if (parenDepth[parenDepth.length - 1] === 0) {
          stack.pop();
          parenDepth = parenDepth.slice(0, -1);
        } else parenDepth[parenDepth.length - 1]--;
      }
      continue;
    }
    // top level
    if (ch === "#" && (cur.length === 0 || /\s$/.test(cur))) {
      while (i < text.length && text[i] !== "\n") i++;
      i--;
      continue;
    }
    if (ch === "\n" || ch === ";") {
      if (ch === ";" && text[i + 1] === ";") i++; // `;;` in case
      out.push(cur);
      cur = "";
      continue;
    }
    cur += ch;
    if (ch === "'" || ch === '"' || ch === "`") stack.push(ch);
    else if (ch === "$" && text[i + 1] === "(") {
      cur += "(";
      i++;
      stack.push("(");
      parenDepth.push(0);
    }
  }
  if (cur.trim()) out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Remove shell quoting from a single word (no expansion). */
export function unquoteShellWord(raw: string): string {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === "'") {
      const end = raw.indexOf("'", i + 1);
      out += raw.slice(i + 1, end < 0 ? raw.length : end);
      i = end < 0 ? raw.length : end;
    } else if (ch === '"') {
      i++;
      let depth = 0;
      for (; i < raw.length; i++) {
        const c = raw[i];
        if (c === "\\" && depth === 0 && /["\\$`\n]/.test(raw[i + 1] ?? "")) {
          if (raw[i + 1] !== "\n") out += raw[i + 1]; // backslash-newline is a line continuation
          i++;
        } else if (c === "$" && raw[i + 1] === "(") {
          depth++;
          out += "$(";
          i++;
        } else if (c === ")" && depth > 0) {
          depth--;
          out += c;
        } else if (c === '"' && depth === 0) break;
        else out += c;
      }
    } else if (ch === "\\" && i + 1 < raw.length) {
      out += raw[i + 1];
      i++;
    } else out += ch;
  }
  return out;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?=([\s\S]*)$/;
const OPENERS = /^(?:if|case|for|while|until|select)\b/;
const CLOSERS = /^(?:fi|esac|done)\b/;
const LEADING_KEYWORDS = /^(?:then|else|do|\{|\()\s+/;

/** Expand $VAR and ${VAR} from known values; returns null when something cannot be resolved. */
function expand(value: string, vars: Record<string, string>): string | null {
  if (/\$\(|`/.test(value)) return null;
  let ok = true;
  const out = value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, a: string, b: string) => {
    const name = a ?? b;
    if (name in vars) return vars[name];
    ok = false;
    return _m;
  });
  if (!ok || /\$\{/.test(out)) return null;
  return out;
}

export function parseDkmsConf(text: string): DkmsConf {
  const vars: Record<string, string> = {};
  const conditional = new Set<string>();
  const dynamic = new Set<string>();
  let depth = 0;
  for (let stmt of splitShellStatements(text)) {
    while (LEADING_KEYWORDS.test(stmt)) stmt = stmt.replace(LEADING_KEYWORDS, "");
    if (/^(?:then|else|do|\{|\})$/.test(stmt)) continue;
    if (/^elif\b/.test(stmt)) continue;
    if (CLOSERS.test(stmt) || stmt === "}") {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (OPENERS.test(stmt)) {
      depth++;
      continue;
    }
    // `[ -f x ] && FOO=bar`: the assignment is conditional.
    const andOr = /(?:&&|\|\|)\s*([A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?=[\s\S]*)$/.exec(stmt);
    if (andOr) {
      const m = ASSIGNMENT.exec(andOr[1]);
      if (m) conditional.add(m[2] !== undefined ? `${m[1]}[${m[2]}]` : m[1]);
      continue;
    }
    const m = ASSIGNMENT.exec(stmt);
    if (!m) continue;
    const name = m[2] !== undefined ? `${m[1]}[${m[2]}]` : m[1];
    if (depth > 0) {
      conditional.add(name);
      continue;
    }
    const raw = unquoteShellWord(m[3].trim());
    const expanded = expand(raw, vars);
    if (expanded === null) {
      dynamic.add(name);
      vars[name] = raw;
    } else {
      dynamic.delete(name);
      vars[name] = expanded;
    }
  }
  for (const name of Object.keys(vars)) conditional.delete(name);
  return { vars, conditional: [...conditional].sort(), dynamic: [...dynamic].sort() };
}

/** Parse a kernel .config or include/config/auto.conf into CONFIG_X → value ("y", "m", "\"str\""…). */
export function parseKernelConfig(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) map.set(m[1], m[2]);
  }
  return map;
}

/** Leading numeric components of a kernel release ("6.1.0-56-amd64" → [6, 1, 0]). */
export function kernelNumbers(kernel: string): number[] | null {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(kernel.trim());
  if (!m) return null;
  return [m[1], m[2], m[3]].filter((x) => x !== undefined).map(Number);
}

/**
 * Compare a kernel release with a bound such as "4.18" or "6.14", only over the components the
 * bound names: 6.14.3 is "equal" to the bound 6.14 (a declared maximum of 6.14 covers 6.14.x).
 */
export function compareKernelToBound(kernel: string, bound: string): number | null {
  const k = kernelNumbers(kernel);
  const b = kernelNumbers(bound);
  if (!k || !b) return null;
  for (let i = 0; i < b.length; i++) {
    const d = (k[i] ?? 0) - b[i];
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Bash `=~` uses POSIX ERE; translate the bracket classes JavaScript does not know. */
export function ereToRegExp(ere: string): RegExp | null {
  const translated = ere
    .replace(/\[:digit:\]/g, "0-9")
    .replace(/\[:alpha:\]/g, "A-Za-z")
    .replace(/\[:alnum:\]/g, "A-Za-z0-9")
    .replace(/\[:space:\]/g, "\\s")
    .replace(/\[:upper:\]/g, "A-Z")
    .replace(/\[:lower:\]/g, "a-z");
  try {
    return new RegExp(translated);
  } catch {
    return null;
  }
}

export interface ExclusionTarget {
  kernel: string;
  arch: string;
  /** the kernel's configuration; undefined when neither .config nor auto.conf exists */
  config?: Map<string, string>;
}

export interface ExclusionVerdict {
  excluded: boolean;
  /** one short sentence per rule that excludes the target */
  reasons: string[];
}

/**
 * Evaluate the static BUILD_EXCLUSIVE_* rules the way dkms does: KERNEL and ARCH are unanchored
 * extended regexes that must match; CONFIG lists `CONFIG_X` (must be y or m) and `!CONFIG_X` (must
 * not be); KERNEL_MIN/MAX (dkms ≥ 3.0.11; evaluated here even where dkms is older) bound the
 * release numerically.
 */
export function evaluateBuildExclusive(conf: DkmsConf, target: ExclusionTarget): ExclusionVerdict {
  const reasons: string[] = [];
  const v = conf.vars;
  const dyn = new Set(conf.dynamic);
  const get = (k: ExclusiveKey) => (v[k] && !dyn.has(k) ? v[k] : undefined);

  const kre = get("BUILD_EXCLUSIVE_KERNEL");
  if (kre !== undefined) {
    const re = ereToRegExp(kre);
    if (!re || !re.test(target.kernel)) reasons.push(`BUILD_EXCLUSIVE_KERNEL="${kre}" does not match ${target.kernel}`);
  }
  const min = get("BUILD_EXCLUSIVE_KERNEL_MIN");
  if (min !== undefined) {
    const c = compareKernelToBound(target.kernel, min);
    if (c !== null && c < 0) reasons.push(`BUILD_EXCLUSIVE_KERNEL_MIN=${min} excludes ${target.kernel}`);
  }
  const max = get("BUILD_EXCLUSIVE_KERNEL_MAX");
  if (max !== undefined) {
    const c = compareKernelToBound(target.kernel, max);
    if (c !== null && c > 0) reasons.push(`BUILD_EXCLUSIVE_KERNEL_MAX=${max} excludes ${target.kernel}`);
  }
  const are = get("BUILD_EXCLUSIVE_ARCH");
  if (are !== undefined) {
    const re = ereToRegExp(are);
    if (!re || !re.test(target.arch)) reasons.push(`BUILD_EXCLUSIVE_ARCH="${are}" does not match ${target.arch}`);
  }
  const cfg = get("BUILD_EXCLUSIVE_CONFIG");
  if (cfg !== undefined && target.config) {
    for (const item of cfg.split(/\s+/).filter(Boolean)) {
      const negated = item.startsWith("!");
      const name = negated ? item.slice(1) : item;
      const val = target.config.get(name);
      const set = val === "y" || val === "m";
      if (negated && set) reasons.push(`BUILD_EXCLUSIVE_CONFIG=${item} excludes this kernel (${name}=${val})`);
      if (!negated && !set) reasons.push(`BUILD_EXCLUSIVE_CONFIG=${item} excludes this kernel (${name} not set)`);
    }
  }
  return { excluded: reasons.length > 0, reasons };
}

export interface DeclaredRange {
  min?: string;
  max?: string;
}

/** OpenZFS-style META file: `Linux-Minimum: 4.18` / `Linux-Maximum: 6.14`. */
export function parseMetaLinuxRange(meta: string): DeclaredRange {
  const min = /^Linux-Minimum:\s*(\S+)/m.exec(meta)?.[1];
  const max = /^Linux-Maximum:\s*(\S+)/m.exec(meta)?.[1];
  return { ...(min ? { min } : {}), ...(max ? { max } : {}) };
}

/** The kernel range a module declares: dkms.conf MIN/MAX first, a META file as fallback. */
export function declaredRange(conf: DkmsConf | null, meta: string | null): DeclaredRange {
  const fromMeta = meta ? parseMetaLinuxRange(meta) : {};
  const dyn = new Set(conf?.dynamic ?? []);
  const pick = (k: string) => (conf && conf.vars[k] && !dyn.has(k) ? conf.vars[k] : undefined);
  const min = pick("BUILD_EXCLUSIVE_KERNEL_MIN") ?? fromMeta.min;
  const max = pick("BUILD_EXCLUSIVE_KERNEL_MAX") ?? fromMeta.max;
  return { ...(min ? { min } : {}), ...(max ? { max } : {}) };
}

/** Lower-cased slug acceptable to the ingest schema (`^[a-z0-9][a-z0-9._+-]*$`). */
export function moduleSlugFromName(name: string): string {
  const s = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._+-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "");
  return s.slice(0, 100) || "module";
}
