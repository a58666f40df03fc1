/**
 * A module build's footprint: which kernel symbols its .ko imports and which kernel headers its
 * sources included. Pure parsers of what the runner captures (`nm -u`, kbuild's .*.cmd dependency
 * files, `modinfo -F`), and the compact, validated shape sent with an ingest result.
 */
import { normaliseHeaderPath } from "./kernel-api";

export interface Footprint {
  /** undefined symbols of the module's .ko files, sorted: what it needs the kernel to export */
  symbols: string[];
  /** kernel headers its sources included, as include names ("linux/string.h"), sorted */
  headers: string[];
  /**
   * identifiers its own C sources name (calls, function pointers; not struct members), sorted:
   * catches kernel functions the compiler inlined away (fortified strlcpy leaves no undefined
   * symbol) and ones only referenced (`.llseek = no_llseek`), but also names inside
   * `#if LINUX_VERSION_CODE` branches not taken, so weaker evidence than `symbols`
   */
  references?: string[];
  /**
   * calls with their argument counts, "DEFINE_SEMAPHORE/1", "hid_report_raw_event/5" (parseCalls;
   * footprints recorded before it have upper-case, macro-style calls only: parseMacroCalls)
   */
  macroCalls?: string[];
  /** `#include <…>` names in its own sources, sorted (direct includes, maybe conditional) */
  includes?: string[];
  /** MODULE_LICENSE of its .ko files (distinct), e.g. ["GPL"]; absent: unknown */
  licences?: string[];
  /** MODULE_IMPORT_NS of its .ko files (distinct) */
  importedNamespaces?: string[];
}

export const MAX_FOOTPRINT_SYMBOLS = 20_000;
export const MAX_FOOTPRINT_HEADERS = 10_000;
export const MAX_FOOTPRINT_REFERENCES = 20_000;

const C_WORDS = new Set(
  "if else for while do switch case return sizeof typeof __typeof__ _Alignof alignof defined __attribute__ __builtin_expect asm __asm__ volatile __volatile__ static inline struct union enum const unsigned signed int long short char void goto break continue default _Static_assert offsetof likely unlikely".split(" "),
);

/** C source without comments, string and character literals. */
function codeOf(text: string): string {
  return text
    .replace(/^[ \t]*#[ \t]*include\b.*$/gm, " ")
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .replace(/\/\/[^\n]*/g, " ")
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""')
    .replace(/'(?:[^'\\\n]|\\.)*'/g, "''");
}

/**
 * Identifiers a C source names, other than keywords and struct members (after `.` or `->`):
 * functions it calls, and also functions it only takes the address of (`.llseek = no_llseek`).
 */
export function parseSourceReferences(text: string): string[] {
  const out = new Set<string>();
  for (const m of codeOf(text).matchAll(/(?<![.>]\s*)\b([A-Za-z_][A-Za-z0-9_]*)\b/g)) if (!C_WORDS.has(m[1]) && !/^\d/.test(m[1])) out.add(m[1]);
  return sortUnique(out);
}

/**
 * Upper-case (macro-style) calls with their argument counts, "DEFINE_SEMAPHORE/1": a kernel macro
 * whose arity changed breaks the build without any symbol changing.
 */
export function parseMacroCalls(text: string): string[] {
  return callsWithArity(codeOf(text), /(?<![.>]\s*)\b([A-Z_][A-Z0-9_]*[A-Z][A-Z0-9_]*)\s*\(/g, 5000);
}

/**
 * Every call its sources make, with its argument count, "hid_report_raw_event/5" (macro-style
 * calls included, not calls through struct members, `ops->probe(…)`): the arity a kernel function
 * is called with, in every `#if` branch, so a kernel whose prototype takes another number of
 * arguments (and no branch fits it) is a break. Its own definitions count too (`static int
 * foo(int a)`), as they must agree with a kernel declaration of the same name.
 */
export function parseCalls(text: string): string[] {
  return callsWithArity(codeOf(text), /(?<![.>]\s*)\b([A-Za-z_][A-Za-z0-9_]*)\s*\(/g, MAX_FOOTPRINT_HEADERS, (name) => !C_WORDS.has(name));
}

function callsWithArity(code: string, re: RegExp, max: number, keep: (name: string) => boolean = () => true): string[] {
  const out = new Set<string>();
  for (const m of code.matchAll(re)) {
    if (out.size >= max) break;
    if (!keep(m[1])) continue;
    let depth = 0;
    let commas = 0;
    let empty = true;
    const from = (m.index ?? 0) + m[0].length;
    let i = from;
    for (; i < code.length && i < (m.index ?? 0) + 4000; i++) {
      const ch = code[i];
      if (ch === "(" || ch === "[" || ch === "{") depth++;
      else if (ch === ")" || ch === "]" || ch === "}") {
        if (depth === 0) break;
        depth--;
      } else if (ch === "," && depth === 0) commas++;
      if (!/\s/.test(ch)) empty = false;
    }
    // `foo(void)`: its own definition of a function without parameters
    if (i < code.length && code[i] === ")") out.add(`${m[1]}/${empty || code.slice(from, i).trim() === "void" ? 0 : commas + 1}`);
  }
  return sortUnique(out);
}

const sortUnique = (xs: Iterable<string>) => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** `nm -u file.ko` lines ("                 U strlcpy"): the names, without kbuild's own. */
export function parseNmUndefined(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*[Uw]\s+(\S+)\s*$/.exec(line);
    if (m && m[1] !== "__this_module") out.push(m[1]);
  }
  return sortUnique(out);
}

/**
 * The kernel headers named in kbuild's .*.o.cmd files (`deps_… := \` then one path a line).
 * A path counts as a kernel header when it lies in a kernel header tree: under
 * …/linux-headers-*\/ (Debian), …/lib/modules/*\/build/ or a relative include/ or arch/x86/include/
 * (kbuild writes paths relative to the kernel tree). The module's own headers are not kernel API.
 */
export function parseCmdDeps(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[\s\\]+/)) {
    if (!raw.endsWith(".h") || raw.startsWith("$(")) continue;
    const m = /(?:^|\/)(?:linux-headers-[^/]+|lib\/modules\/[^/]+\/(?:build|source))\/(.+)$/.exec(raw) ?? /^((?:arch\/x86\/)?include\/.+)$/.exec(raw);
    const name = m ? normaliseHeaderPath(m[1]) : null;
    if (name) out.push(name);
  }
  return sortUnique(out);
}

/** `#include <linux/x.h>` names in C source (quoted includes are the module's own). */
export function parseSourceIncludes(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/^[ \t]*#[ \t]*include[ \t]*<([^>\s]+\.h)>/gm)) out.add(m[1]);
  return sortUnique(out);
}

/** Every call of a module's sources with its argument counts, sorted and capped (what a footprint and a source scan keep). */
export function sourceCalls(sources: readonly string[]): string[] {
  return sortUnique(sources.flatMap(parseCalls)).slice(0, MAX_FOOTPRINT_HEADERS);
}

export function makeFootprint(parts: { nm: string[]; cmd: string[]; sources?: string[]; licences?: string[]; importedNamespaces?: string[] }): Footprint {
  const symbols = sortUnique(parts.nm.flatMap(parseNmUndefined)).slice(0, MAX_FOOTPRINT_SYMBOLS);
  const headers = sortUnique(parts.cmd.flatMap(parseCmdDeps)).slice(0, MAX_FOOTPRINT_HEADERS);
  return {
    symbols,
    headers,
    ...(parts.sources
      ? {
          references: sortUnique(parts.sources.flatMap(parseSourceReferences)).slice(0, MAX_FOOTPRINT_REFERENCES),
          includes: sortUnique(parts.sources.flatMap(parseSourceIncludes)).slice(0, MAX_FOOTPRINT_HEADERS),
          macroCalls: sourceCalls(parts.sources),
        }
      : {}),
    ...(parts.licences && parts.licences.length ? { licences: sortUnique(parts.licences.map((l) => l.trim()).filter(Boolean)) } : {}),
    ...(parts.importedNamespaces ? { importedNamespaces: sortUnique(parts.importedNamespaces.map((l) => l.trim()).filter(Boolean)) } : {}),
  };
}

/**
 * Licences the kernel treats as GPL-compatible (include/linux/license.h, license_is_gpl_compatible):
 * only such a module may use EXPORT_SYMBOL_GPL symbols.
 */
const GPL_COMPATIBLE = new Set(["GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL"]);

/** true / false, or null when no licence was recorded. A module of several .ko files needs all GPL. */
export function isGplCompatible(licences: readonly string[] | undefined): boolean | null {
  if (!licences || licences.length === 0) return null;
  return licences.every((l) => GPL_COMPATIBLE.has(l));
}
