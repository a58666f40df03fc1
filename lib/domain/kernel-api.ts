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
  return text.split("\n").map((l) => {
    const [name, crc, g, namespace = "", exporter = ""] = l.split("\t");
    return { name, crc: crc ? `0x${crc}` : "", gplOnly: g === "G", namespace, exporter: exporter || "vmlinux" };
  });
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
 * The names of parseHeaderCallables entries, each macro's arities ("*": variadic), and each declared
 * function's arities ("name(N)" entries, parseHeaderPrototypes: not names, since a function declared
 * but not exported cannot be called from a module).
 */
export function splitCallables(entries: readonly string[]): { names: Set<string>; arities: Map<string, Set<string>>; functionArities: Map<string, Set<string>> } {
  const names = new Set<string>();
  const arities = new Map<string, Set<string>>();
  const functionArities = new Map<string, Set<string>>();
  for (const e of entries) {
    const f = /^([A-Za-z_]\w*)\((\d+|\*)\)$/.exec(e);
    if (f) {
      const set = functionArities.get(f[1]) ?? new Set<string>();
      set.add(f[2]);
      functionArities.set(f[1], set);
      continue;
    }
    const i = e.indexOf("/");
    if (i < 0) {
      names.add(e);
      continue;
    }
    const name = e.slice(0, i);
    names.add(name);
    const set = arities.get(name) ?? new Set<string>();
    set.add(e.slice(i + 1));
    arities.set(name, set);
  }
  return { names, arities, functionArities };
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
