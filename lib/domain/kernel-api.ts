/**
 * A kernel's API as its header package shows it: the exported symbols of `Module.symvers` and the
 * header paths under include/ and arch/x86/include/. Pure: parsing, the compact text encoding
 * stored in KernelApi (gzip is the service's business) and the diff of two snapshots.
 */

export interface ExportedSymbol {
  name: string;
  /** "0x5792f848"; "" when the kernel was built without CONFIG_MODVERSIONS */
  crc: string;
  /** exported with EXPORT_SYMBOL_GPL: only GPL-compatible modules may use it */
  gplOnly: boolean;
  /** EXPORT_SYMBOL_NS namespace, "" for none */
  namespace: string;
  /** "vmlinux" or the in-tree module that exports it, e.g. "drivers/media/v4l2-core/videodev" */
  exporter: string;
}

export interface SymversParse {
  symbols: ExportedSymbol[];
  /** lines that are not `crc\tname\tmodule\texport-kind[\tnamespace]`, with their line numbers */
  rejected: { line: number; text: string }[];
}

const EXPORT_KINDS: Record<string, boolean> = {
  EXPORT_SYMBOL: false,
  EXPORT_SYMBOL_GPL: true,
  // Linux < 5.? also had these; treated by their licence
  EXPORT_SYMBOL_GPL_FUTURE: false,
  EXPORT_UNUSED_SYMBOL: false,
  EXPORT_UNUSED_SYMBOL_GPL: true,
};

const SYMBOL_NAME = /^[A-Za-z_.$][A-Za-z0-9_.$]*$/;

/**
 * Module.symvers: one symbol a line, tab-separated `crc name module export-kind namespace`
 * (namespace column present but empty when there is none, since 5.4). A name exported twice keeps
 * its first line. Sorted by name, so encodings of the same snapshot are byte-identical.
 */
export function parseModuleSymvers(text: string): SymversParse {
  const seen = new Map<string, ExportedSymbol>();
  const rejected: SymversParse["rejected"] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, "");
    if (raw.trim() === "") continue;
    const f = raw.split("\t");
    const [crc, name, exporter, kind, namespace = ""] = f;
    if (f.length < 4 || f.length > 5 || !/^0x[0-9a-f]{1,16}$/i.test(crc) || !SYMBOL_NAME.test(name) || !(kind in EXPORT_KINDS) || /\s/.test(namespace)) {
      if (rejected.length < 100) rejected.push({ line: i + 1, text: raw.slice(0, 200) });
      continue;
    }
    if (!seen.has(name)) seen.set(name, { name, crc: crc.toLowerCase(), gplOnly: EXPORT_KINDS[kind], namespace, exporter });
  }
  return { symbols: [...seen.values()].sort((a, b) => cmp(a.name, b.name)), rejected };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The stored form: one line per symbol, `name\tcrc-without-0x\tG|-\tnamespace\texporter`, sorted by
 * name. The exporter "vmlinux" is written as "" (24k of 25k symbols). gzip makes it ~4× smaller.
 */
export function encodeSymbols(symbols: readonly ExportedSymbol[]): string {
  return [...symbols]
    .sort((a, b) => cmp(a.name, b.name))
    .map((s) => `${s.name}\t${s.crc.replace(/^0x/, "")}\t${s.gplOnly ? "G" : "-"}\t${s.namespace}\t${s.exporter === "vmlinux" ? "" : s.exporter}`)
    .join("\n");
}

export function decodeSymbols(text: string): ExportedSymbol[] {
  if (text === "") return [];
  return text.split("\n").map(decodeSymbolLine);
}

function decodeSymbolLine(l: string): ExportedSymbol {
  const [name, crc, g, namespace = "", exporter = ""] = l.split("\t");
  return { name, crc: crc ? `0x${crc}` : "", gplOnly: g === "G", namespace, exporter: exporter || "vmlinux" };
}

/** Header paths as a module names them in `#include <…>`: "linux/string.h", "asm/unaligned.h". */
export function normaliseHeaderPath(relative: string): string | null {
  const p = relative.replace(/\\/g, "/").replace(/^\.\//, "");
  if (!p.endsWith(".h")) return null;
  for (const prefix of ["arch/x86/include/generated/uapi/", "arch/x86/include/generated/", "arch/x86/include/uapi/", "arch/x86/include/", "include/generated/uapi/", "include/generated/", "include/uapi/", "include/"]) {
    if (p.startsWith(prefix)) return p.slice(prefix.length);
  }
  return null;
}

/**
 * Names a module can call that the headers define without exporting them: function-like macros
 * (`#define vmalloc(...)`), static inline functions, lower-case object-like macros and typedefs. With the exports, this tells whether a
 * name a module's source calls still exists on a kernel (6.12's strscpy and vmalloc are macros
 * over sized_strscpy and vmalloc_noprof; strlcpy is gone). Comments are removed first.
 */
export function parseHeaderCallables(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, " ");
  const out = new Set<string>();
  // A static inline's name is the identifier before its parameter list, which is followed by
  // attributes (`__must_hold(&l)`, `__acquires(x)`) at most and then its body or `;`. Attribute macros with arguments may stand
  // between `inline` and the name (`static __always_inline __alloc_size(1) void *kmalloc(…)`):
  // taking the first identifier before a "(" named __alloc_size instead of kmalloc.
  const group = String.raw`\((?:[^()]|\([^()]*\))*\)`;
  const inline = String.raw`\bstatic\s+(?:[A-Za-z_]\w*\s+)*?(?:__always_inline|inline|__inline__|__inline)\b(?:[^;{}()=#]|${group})*?\b([A-Za-z_]\w*)\s*${group}\s*(?:__\w+\s*(?:${group}\s*)?)*[{;]`;
  const re = new RegExp(String.raw`#[ \t]*define[ \t]+([A-Za-z_]\w*)\(([^)]*)\)|${inline}|#[ \t]*define[ \t]+([a-z_][a-z0-9_]*)(?=[ \t]|$)`, "gm");
  for (const m of code.matchAll(re)) {
    // static inlines, and lower-case object-like macros that stand for functions (6.1's `#define no_llseek NULL`)
    if (m[3] || m[4]) {
      out.add(m[3] ?? m[4]);
      continue;
    }
    // a function-like macro with its arity: "DEFINE_SEMAPHORE/2", "pr_info/*" (variadic)
    const params = m[2].trim();
    out.add(`${m[1]}/${params.includes("...") ? "*" : params === "" ? 0 : params.split(",").length}`);
  }
  for (const f of parseHeaderPrototypes(code)) out.add(f);
  // typedef names too: a name a module uses that became (or stayed) a type is still there (u32 is
  // `#define u32 unsigned int` in 6.1's apicdef.h and only a typedef in 6.12)
  const typedefs = /\btypedef\s+[^;{}()]*?\b([A-Za-z_]\w*)\s*;|\btypedef\s+(?:struct|union|enum)\s*\w*\s*\{[^{}]*\}\s*([A-Za-z_]\w*)\s*;|\btypedef\s[^;{}]*?\(\s*\*\s*([A-Za-z_]\w*)\s*\)/g;
  for (const m of code.matchAll(typedefs)) out.add(m[1] ?? m[2] ?? m[3]);
  // the end of a typedef of a nested struct (`} spinlock_t;`), or a variable defined with its struct
  for (const m of code.matchAll(/^\}\s*([A-Za-z_]\w*)\s*;/gm)) out.add(m[1]);
  return [...out];
}

const NOT_A_RETURN_TYPE = new Set("return else case goto sizeof typeof __typeof__ do if while switch for defined".split(" "));

/**
 * The prototype index: every function the headers declare or define (`int kernel_bind(struct socket
 * *sock, struct sockaddr *addr, int addrlen);`, static inlines too) with its number of parameters,
 * as "kernel_bind(3)" ("(0)" for `(void)`, "(*)" variadic). A function whose arity changed breaks
 * its callers while its name stays (hid_report_raw_event gained an argument; class_create lost its
 * owner). A declaration is a lower-case name after a type (an identifier or `*`, not a keyword such
 * as `return`), a parameter list, attributes at most, then `;` or `{`: calls inside inline bodies
 * are preceded by `=`, `(`, `return`… and are not taken. Input without comments.
 */
export function parseHeaderPrototypes(code: string): string[] {
  const out = new Set<string>();
  const re = /([A-Za-z0-9_*])\s*\b([a-z_][A-Za-z0-9_]*)\s*\(/g;
  for (const m of code.matchAll(re)) {
    const start = (m.index ?? 0) + m[0].length;
    // the word before the name: a type (or `*`), not a keyword nor a preprocessor line's own word
    const before = /([A-Za-z0-9_]+|\*)\s*$/.exec(code.slice(Math.max(0, (m.index ?? 0) - 40), (m.index ?? 0) + 1));
    if (!before || NOT_A_RETURN_TYPE.has(before[1])) continue;
    const lineStart = code.lastIndexOf("\n", m.index ?? 0) + 1;
    if (/^[ \t]*#/.test(code.slice(lineStart, m.index ?? 0))) continue;
    let depth = 0;
    let commas = 0;
    let i = start;
    let params = "";
    for (; i < code.length && i < start + 2000; i++) {
      const ch = code[i];
      if (ch === "(") depth++;
      else if (ch === ")") {
        if (depth === 0) break;
        depth--;
      } else if (ch === "," && depth === 0) commas++;
      else if (ch === ";" || ch === "{" || ch === "}") break;
      params += ch;
    }
    if (code[i] !== ")") continue;
    // after the list: attributes (`__must_check`, `__attribute__((x))`, `__acquires(l)`), then ; or {
    const rest = /^\s*(?:(?:__[A-Za-z0-9_]+|asm|__asm__)\s*(?:\((?:[^()]|\([^()]*\))*\)\s*)?)*([;{])/.exec(code.slice(i + 1, i + 400));
    if (!rest) continue;
    const p = params.trim();
    out.add(`${m[2]}(${p.includes("...") ? "*" : p === "" || p === "void" ? 0 : commas + 1})`);
  }
  return [...out];
}

/**
 * What one parseHeaderCallables / parseHeaderPrototypes entry says: a declared function's arity
 * ("kmalloc(2)": not a name, since a function declared but not exported cannot be called from a
 * module), a function-like macro's name and arity ("DEFINE_SEMAPHORE/2", "pr_info/*"), or a bare name.
 */
export function classifyCallable(e: string): { kind: "function" | "macro"; name: string; arity: string } | { kind: "name"; name: string } {
  const f = /^([A-Za-z_]\w*)\((\d+|\*)\)$/.exec(e);
  if (f) return { kind: "function", name: f[1], arity: f[2] };
  const i = e.indexOf("/");
  return i < 0 ? { kind: "name", name: e } : { kind: "macro", name: e.slice(0, i), arity: e.slice(i + 1) };
}

/**
 * The names of parseHeaderCallables entries, each macro's arities ("*": variadic), and each declared
 * function's arities ("name(N)" entries, parseHeaderPrototypes: not names).
 */
export function splitCallables(entries: readonly string[]): { names: Set<string>; arities: Map<string, Set<string>>; functionArities: Map<string, Set<string>> } {
  const names = new Set<string>();
  const arities = new Map<string, Set<string>>();
  const functionArities = new Map<string, Set<string>>();
  for (const e of entries) {
    const c = classifyCallable(e);
    if (c.kind !== "function") names.add(c.name);
    if (c.kind === "name") continue;
    const into = c.kind === "function" ? functionArities : arities;
    const set = into.get(c.name) ?? new Set<string>();
    set.add(c.arity);
    into.set(c.name, set);
  }
  return { names, arities, functionArities };
}

/**
 * The lines of a stored text (encodeSymbols, encodeHeaders: sorted by code unit, as `<` compares),
 * looked up by binary search in the text itself: one string and one Int32Array of line starts
 * instead of an object, a Set entry or a Map entry per line. A snapshot's 115 k lines cost about
 * 3 MB this way, against about 24 MB decoded into Maps and Sets, and are ready after one scan for
 * line breaks. Keys are whole lines, or what precedes the first tab (symbols). A text that is not
 * sorted (none is stored so, but nothing else enforces it) is sorted once here.
 */
export class SortedLines {
  readonly text: string;
  /** start of each line; one more entry than lines, at text.length + 1 */
  private readonly starts: Int32Array;
  private readonly tabbed: boolean;

  constructor(text: string, keyEndsAtTab = false) {
    this.tabbed = keyEndsAtTab;
    let { text: t, starts } = SortedLines.index(text);
    this.text = t;
    this.starts = starts;
    if (!this.isSorted()) {
      const lines = this.lines().sort((a, b) => this.compareText(a, b));
      ({ text: t, starts } = SortedLines.index(lines.join("\n")));
      this.text = t;
      this.starts = starts;
    }
  }

  private static index(text: string): { text: string; starts: Int32Array } {
    if (text === "") return { text, starts: new Int32Array([1]) };
    let n = 1;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
    const starts = new Int32Array(n + 1);
    let k = 1;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts[k++] = i + 1;
    starts[n] = text.length + 1;
    return { text, starts };
  }

  get size(): number {
    return this.starts.length - 1;
  }

  line(i: number): string {
    return this.text.slice(this.starts[i], this.starts[i + 1] - 1);
  }

  private lines(): string[] {
    return Array.from({ length: this.size }, (_, i) => this.line(i));
  }

  private keyEnd(i: number): number {
    const end = this.starts[i + 1] - 1;
    if (!this.tabbed) return end;
    const tab = this.text.indexOf("\t", this.starts[i]);
    return tab >= 0 && tab < end ? tab : end;
  }

  private compareText(a: string, b: string): number {
    const ka = this.tabbed && a.includes("\t") ? a.slice(0, a.indexOf("\t")) : a;
    const kb = this.tabbed && b.includes("\t") ? b.slice(0, b.indexOf("\t")) : b;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  }

  /** `key` against line i's key, by code unit: negative when key sorts first. */
  private compareKey(key: string, i: number): number {
    const t = this.text;
    const start = this.starts[i];
    const end = this.keyEnd(i);
    const n = Math.min(key.length, end - start);
    for (let j = 0; j < n; j++) {
      const d = key.charCodeAt(j) - t.charCodeAt(start + j);
      if (d !== 0) return d;
    }
    return key.length - (end - start);
  }

  private isSorted(): boolean {
    const t = this.text;
    for (let i = 1; i < this.size; i++) {
      const a = this.starts[i - 1];
      const aEnd = this.keyEnd(i - 1);
      const b = this.starts[i];
      const bEnd = this.keyEnd(i);
      const n = Math.min(aEnd - a, bEnd - b);
      let d = 0;
      for (let j = 0; j < n && d === 0; j++) d = t.charCodeAt(a + j) - t.charCodeAt(b + j);
      if (d > 0 || (d === 0 && aEnd - a > bEnd - b)) return false;
    }
    return true;
  }

  /** The first line whose key is not below `key` (size when none). */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareKey(key, mid) > 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The index of the line whose key is `key`, or -1. */
  find(key: string): number {
    const i = this.lowerBound(key);
    return i < this.size && this.compareKey(key, i) === 0 ? i : -1;
  }

  /**
   * The lines that start with `prefix` followed by the end of the line or a character up to "/"
   * (code 0x2f): in code-unit order they come first among the lines starting with `prefix`.
   */
  *withPrefix(prefix: string): Generator<string> {
    for (const i of this.prefixLines(prefix)) yield this.line(i);
  }

  /**
   * The same lines without a string for each: `visit(next, rest)` gets the code of the character
   * after the prefix (-1 at the end of the line) and a way to read the rest of the line (from the
   * character after `next`, or from `next` itself).
   */
  eachAfterPrefix(prefix: string, visit: (next: number, rest: (fromNext?: boolean) => string) => void): void {
    const t = this.text;
    for (const i of this.prefixLines(prefix)) {
      const at = this.starts[i] + prefix.length;
      const end = this.starts[i + 1] - 1;
      visit(at === end ? -1 : t.charCodeAt(at), (fromNext = false) => t.slice(fromNext ? at : at + 1, end));
    }
  }

  private prefixLines(prefix: string): number[] {
    const out: number[] = [];
    const t = this.text;
    for (let i = this.lowerBound(prefix); i < this.size; i++) {
      const start = this.starts[i];
      const end = this.starts[i + 1] - 1;
      if (end - start < prefix.length || !t.startsWith(prefix, start)) break;
      if (end - start > prefix.length && t.charCodeAt(start + prefix.length) > 0x2f) break;
      out.push(i);
    }
    return out;
  }
}

/**
 * A prediction asks whether each of a footprint's names (about 2,500 references) is there on two
 * kernels, and the footprints of one module's versions share most names: yes/no answers are kept
 * per index, at most KNOWN_MAX (about 1 MB).
 */
const KNOWN_MAX = 20_000;
function remembered(known: Map<string, boolean>, name: string, look: () => boolean): boolean {
  let v = known.get(name);
  if (v === undefined) {
    if (known.size >= KNOWN_MAX) known.clear();
    known.set(name, (v = look()));
  }
  return v;
}

const SIMPLE_NAME = /^[^(/]*$/;
const FUNCTION_NAME = /^[A-Za-z_]\w*$/;

/** A snapshot's exported symbols, looked up by name in their stored text (encodeSymbols). */
export class SymbolIndex {
  private readonly lines: SortedLines;
  constructor(text: string) {
    this.lines = new SortedLines(text, true);
  }
  get size(): number {
    return this.lines.size;
  }
  has(name: string): boolean {
    return remembered(this.known, name, () => this.lines.find(name) >= 0);
  }
  private readonly known = new Map<string, boolean>();
  get(name: string): ExportedSymbol | undefined {
    const i = this.lines.find(name);
    return i < 0 ? undefined : decodeSymbolLine(this.lines.line(i));
  }
}

/** A snapshot's header paths, in their stored text (encodeHeaders). */
export class HeaderIndex {
  private readonly lines: SortedLines;
  constructor(text: string) {
    this.lines = new SortedLines(text);
  }
  has(path: string): boolean {
    return this.lines.find(path) >= 0;
  }
}

/**
 * A snapshot's callables (parseHeaderCallables and parseHeaderPrototypes entries, stored sorted by
 * encodeHeaders), answering what splitCallables' sets and maps answer: every entry that speaks of a
 * name starts with it and goes on with nothing, "/" or "(", so only those lines are read.
 */
export class CallableIndex {
  private readonly lines: SortedLines;
  constructor(text: string) {
    this.lines = new SortedLines(text);
  }
  private collect(name: string, kind: "function" | "macro" | "name" | "callable"): { found: boolean; arities: Set<string> } {
    const arities = new Set<string>();
    let found = false;
    if (!SIMPLE_NAME.test(name)) {
      // a name with "(" or "/" in it: read each entry as splitCallables does
      for (const e of this.lines.withPrefix(name)) {
        const c = classifyCallable(e);
        if (c.name !== name || !(kind === "callable" ? c.kind !== "function" : c.kind === kind)) continue;
        found = true;
        if (c.kind !== "name") arities.add(c.arity);
      }
      return { found, arities };
    }
    // The common case, without a string per entry: after the name comes nothing (a bare name),
    // "/" (a macro's arity) or "(" (a declared function's arity, if the rest is "(N)" or "(*)").
    this.lines.eachAfterPrefix(name, (next, rest) => {
      if (next === -1) {
        if (kind === "name" || kind === "callable") found = true;
      } else if (next === 0x2f) {
        if (kind === "macro" || kind === "callable") {
          found = true;
          if (kind === "macro") arities.add(rest());
        }
      } else if (next === 0x28 && kind === "function" && FUNCTION_NAME.test(name)) {
        const m = /^\((\d+|\*)\)$/.exec(rest(true));
        if (m) {
          found = true;
          arities.add(m[1]);
        }
      }
    });
    return { found, arities };
  }
  /** a macro, an inline or a name of the headers (splitCallables' names); the most asked, so answers are kept */
  readonly names = { has: (name: string) => remembered(this.known, name, () => this.collect(name, "callable").found) };
  private readonly known = new Map<string, boolean>();
  /** a function-like macro's arities (splitCallables' arities) */
  readonly macroArities = {
    has: (name: string) => this.collect(name, "macro").found,
    get: (name: string): ReadonlySet<string> | undefined => {
      const r = this.collect(name, "macro");
      return r.found ? r.arities : undefined;
    },
  };
  /** a declared function's arities (splitCallables' functionArities) */
  readonly functionArities = {
    has: (name: string) => this.collect(name, "function").found,
    get: (name: string): ReadonlySet<string> | undefined => {
      const r = this.collect(name, "function");
      return r.found ? r.arities : undefined;
    },
  };
}

/** Sorted, de-duplicated include names. */
export function encodeHeaders(paths: Iterable<string>): string {
  return [...new Set(paths)].sort(cmp).join("\n");
}

export function decodeHeaders(text: string): string[] {
  return text === "" ? [] : text.split("\n");
}

export const SYMBOL_CHANGES = ["crc", "licence", "namespace"] as const;
export type SymbolChange = (typeof SYMBOL_CHANGES)[number];

export interface ChangedSymbol {
  name: string;
  changes: SymbolChange[];
  from: ExportedSymbol;
  to: ExportedSymbol;
}

export interface ApiDiff {
  /** symbols `to` no longer exports; `stillCallable` lists those its headers still define (macro or inline) */
  removedSymbols: ExportedSymbol[];
  addedSymbols: ExportedSymbol[];
  changedSymbols: ChangedSymbol[];
  removedHeaders: string[];
  addedHeaders: string[];
  /** same name in both, unchanged */
  unchangedSymbols: number;
}

/**
 * What `to` removed, added and changed relative to `from`. A CRC compared only when both kernels
 * have one (a kernel without MODVERSIONS has none). Linear in the two sizes.
 */
export function diffKernelApi(
  from: { symbols: readonly ExportedSymbol[]; headers: readonly string[] },
  to: { symbols: readonly ExportedSymbol[]; headers: readonly string[] },
): ApiDiff {
  const toByName = new Map(to.symbols.map((s) => [s.name, s]));
  const fromNames = new Set<string>();
  const removedSymbols: ExportedSymbol[] = [];
  const changedSymbols: ChangedSymbol[] = [];
  let unchangedSymbols = 0;
  for (const a of from.symbols) {
    fromNames.add(a.name);
    const b = toByName.get(a.name);
    if (!b) {
      removedSymbols.push(a);
      continue;
    }
    const changes = symbolChanges(a, b);
    if (changes.length) changedSymbols.push({ name: a.name, changes, from: a, to: b });
    else unchangedSymbols++;
  }
  const addedSymbols = to.symbols.filter((s) => !fromNames.has(s.name));
  const toHeaders = new Set(to.headers);
  const fromHeaders = new Set(from.headers);
  return {
    removedSymbols: removedSymbols.sort((x, y) => cmp(x.name, y.name)),
    addedSymbols: [...addedSymbols].sort((x, y) => cmp(x.name, y.name)),
    changedSymbols: changedSymbols.sort((x, y) => cmp(x.name, y.name)),
    removedHeaders: from.headers.filter((h) => !toHeaders.has(h)).sort(cmp),
    addedHeaders: to.headers.filter((h) => !fromHeaders.has(h)).sort(cmp),
    unchangedSymbols,
  };
}

export function symbolChanges(a: ExportedSymbol, b: ExportedSymbol): SymbolChange[] {
  const out: SymbolChange[] = [];
  if (a.crc && b.crc && a.crc !== b.crc) out.push("crc");
  if (a.gplOnly !== b.gplOnly) out.push("licence");
  if (a.namespace !== b.namespace) out.push("namespace");
  return out;
}

/**
 * Comparisons worth offering: the newest snapshot of each kernel line and series against the
 * newest of the previous series in the same line (6.1.0-57 → 6.12.117+deb12), newest first.
 */
export function suggestedComparisons(
  kernels: readonly string[],
  opts: { compare: (a: string, b: string) => number; series: (k: string) => string; line: (k: string) => string },
): { from: string; to: string }[] {
  const newest = new Map<string, string>();
  for (const k of kernels) {
    const key = `${opts.line(k)}\t${opts.series(k)}`;
    const cur = newest.get(key);
    if (!cur || opts.compare(k, cur) > 0) newest.set(key, k);
  }
  const byLine = new Map<string, string[]>();
  for (const k of newest.values()) byLine.set(opts.line(k), [...(byLine.get(opts.line(k)) ?? []), k]);
  const out: { from: string; to: string }[] = [];
  for (const list of byLine.values()) {
    list.sort(opts.compare);
    for (let i = 1; i < list.length; i++) out.push({ from: list[i - 1], to: list[i] });
  }
  return out.sort((a, b) => opts.compare(b.to, a.to));
}
