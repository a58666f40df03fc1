import { normaliseErrorLine } from "./error-line";
import { compareSeries } from "./kernel-version";
import type { IncidentStatus } from "./regressions";

/**
 * The kernel symbol behind a build failure, read from its normalised first error line: the function,
 * struct member, macro, header, type or exported symbol whose removal or change broke the module.
 * Incidents of different modules with the same symbol are one kernel change seen several times
 * ("the removal of strlcpy broke v4l2loopback, nat-rtsp …").
 */

export const SIGNATURE_KINDS = ["function", "member", "macro", "header", "type", "callback", "symbol", "interface"] as const;
export type SignatureKind = (typeof SIGNATURE_KINDS)[number];

export const SIGNATURE_KIND_LABEL: Record<SignatureKind, string> = {
  function: "function",
  member: "struct member",
  macro: "macro",
  header: "header",
  type: "type",
  callback: "callback signature",
  symbol: "exported symbol",
  interface: "kernel interface (configure check)",
};

export interface Signature {
  /** "strlcpy", "struct block_device::bd_inode", "asm/unaligned.h", "DEFINE_SEMAPHORE" */
  symbol: string;
  kind: SignatureKind;
}

const IDENT = "[A-Za-z_][A-Za-z0-9_]*";
const AGGREGATE = `(?:const |volatile )*((?:struct|union|enum) ${IDENT})`;

interface Rule {
  re: RegExp;
  make: (m: RegExpExecArray) => Signature;
}

/** Function-like names written in capitals are macros in kernel code (PDE_DATA, DEFINE_SEMAPHORE). */
const callable = (name: string): Signature => ({ symbol: name, kind: /^[A-Z][A-Z0-9_]*$/.test(name) ? "macro" : "function" });
const identifier = (name: string): Signature => ({ symbol: name, kind: /^[A-Z][A-Z0-9_]*$/.test(name) ? "macro" : "symbol" });

// Ordered: the member rules must see "'struct x' has no member" before the generic quoted-name rules.
const RULES: readonly Rule[] = [
  // gcc: 'struct block_device' has no member named 'bd_inode' ({aka …} when a typedef is involved)
  {
    re: new RegExp(`^'${AGGREGATE}'(?: \\{aka '[^']*'\\})? has no member named '(${IDENT})'`),
    make: (m) => ({ symbol: `${m[1]}::${m[2]}`, kind: "member" }),
  },
  // clang: no member named 'bd_inode' in 'struct block_device'
  {
    re: new RegExp(`no member named '(${IDENT})' in '${AGGREGATE}'`),
    make: (m) => ({ symbol: `${m[2]}::${m[1]}`, kind: "member" }),
  },
  // missing header: gcc "asm/unaligned.h: No such file or directory", clang "'linux/genhd.h' file not found"
  { re: /(?:^|\s|')([\w./+-]+\.h)'?:? (?:No such file or directory|file not found)/, make: (m) => ({ symbol: m[1], kind: "header" }) },
  // macro arity changes: gcc "macro 'DEFINE_SEMAPHORE' requires 2 arguments, but only 1 given",
  // older gcc "macro 'X' passed 1 arguments, but takes just 2", clang "too few arguments provided to function-like macro invocation"
  { re: new RegExp(`macro '(${IDENT})' (?:requires|passed|takes)\\b`), make: (m) => ({ symbol: m[1], kind: "macro" }) },
  {
    re: new RegExp(
      `(?:implicit declaration of function|call to undeclared function|too (?:few|many) arguments to function|` +
        `passing argument \\d+ of|incompatible type for argument \\d+ of|conflicting types for) '(${IDENT})'`,
    ),
    make: (m) => callable(m[1]),
  },
  // the aftermath of a macro that changed arity: "type defaults to 'int' in declaration of 'DEFINE_SEMAPHORE'"
  { re: new RegExp(`in declaration of '(${IDENT})'`), make: (m) => callable(m[1]) },
  { re: new RegExp(`^'${AGGREGATE}' declared inside parameter list`), make: (m) => ({ symbol: m[1], kind: "type" }) },
  // A callback whose prototype the kernel changed (platform_driver.remove now returns void …): the
  // function-pointer type the kernel expects names the change, and is the same in every module.
  {
    re: /^(?:initialization|assignment) (?:of|to) '([^']*\(\*\)\([^']*\))'(?: \{aka '[^']*'\})? from incompatible pointer type/,
    make: (m) => ({ symbol: m[1].replace(/\s+/g, " "), kind: "callback" }),
  },
  {
    re: new RegExp(`(?:invalid use of undefined type|dereferencing pointer to incomplete type|incomplete definition of type) '${AGGREGATE}'`),
    make: (m) => ({ symbol: m[1], kind: "type" }),
  },
  { re: new RegExp(`unknown type name '(${IDENT})'`), make: (m) => ({ symbol: m[1], kind: "type" }) },
  { re: new RegExp(`^'(${IDENT})' undeclared`), make: (m) => identifier(m[1]) },
  { re: new RegExp(`use of undeclared identifier '(${IDENT})'`), make: (m) => identifier(m[1]) },
  { re: new RegExp(`^'(${IDENT})' is deprecated`), make: (m) => identifier(m[1]) },
  // modpost (normalised): "modpost: 'ktime_get_real_ts' undefined!", GPL-only symbols
  { re: new RegExp(`^modpost: '(${IDENT})' undefined`), make: (m) => ({ symbol: m[1], kind: "symbol" }) },
  { re: new RegExp(`^modpost: .*uses GPL-only symbol '(${IDENT})'`), make: (m) => ({ symbol: m[1], kind: "symbol" }) },
  { re: new RegExp(`undefined reference to '(${IDENT})'`), make: (m) => ({ symbol: m[1], kind: "symbol" }) },
  // gcc under LANG=de_DE (quotes are already plain): the commonest kernel-API breaks
  { re: new RegExp(`implizite Deklaration der Funktion '(${IDENT})'`), make: (m) => callable(m[1]) },
  { re: new RegExp(`^'${AGGREGATE}' hat kein Element namens '(${IDENT})'`), make: (m) => ({ symbol: `${m[1]}::${m[2]}`, kind: "member" }) },
  { re: /(?:^|\s|')([\w./+-]+\.h)'?:? (?:Datei oder Verzeichnis nicht gefunden)/, make: (m) => ({ symbol: m[1], kind: "header" }) },
  { re: new RegExp(`^'(${IDENT})' nicht deklariert`), make: (m) => identifier(m[1]) },
  // configure checks (OpenZFS): "*** None of the expected 'file_fallocate' interfaces were detected",
  // "'bops->release()' …", and the runner's own "(no 'file_fallocate' interface)"
  { re: /None of the expected '([^']{1,100})' interfaces? (?:were|was) detected/, make: (m) => ({ symbol: m[1], kind: "interface" }) },
  { re: /\(no '([^']{1,100})' interface\)/, make: (m) => ({ symbol: m[1], kind: "interface" }) },
  { re: /^configure: .*'([A-Za-z_][\w]*(?:->|\.)[A-Za-z_]\w*\(\))'/, make: (m) => ({ symbol: m[1], kind: "interface" }) },
];

/**
 * The symbol behind an error line, or null when the line names none (a configure message, an
 * internal compiler error, a type mismatch without a name). Accepts raw compiler lines as well as
 * lines already normalised at ingest.
 */
export function extractSignature(errorLine: string | null | undefined): Signature | null {
  if (!errorLine) return null;
  const line = normaliseErrorLine(errorLine)
    .replace(/^(?:\S+?:\d+(?::\d+)?:\s*)?(?:schwerwiegender )?Fehler:\s*/, "")
    .replace(/\s*\[-W[^\]]*\]\s*$/, "")
    .replace(/^fatal error:\s*/, "");
  for (const rule of RULES) {
    const m = rule.re.exec(line);
    if (m) return rule.make(m);
  }
  return null;
}

/** Shown in lists: `strlcpy()`, `<asm/unaligned.h>`, `struct block_device::bd_inode`. */
export function formatSignature(sig: Signature): string {
  if (sig.kind === "function") return `${sig.symbol}()`;
  if (sig.kind === "header") return `<${sig.symbol}>`;
  return sig.symbol;
}

/**
 * URL path for a signature page. Header names keep their slashes as path segments
 * (/signatures/asm/unaligned.h); everything else is percent-encoded per segment.
 */
export function signaturePath(symbol: string): string {
  return `/signatures/${symbol.split("/").map(encodeURIComponent).join("/")}`;
}

/** Inverse of signaturePath for the segments of a catch-all route. */
export function symbolFromSegments(segments: readonly string[]): string {
  return segments
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    })
    .join("/");
}

// ---------------------------------------------------------------------------------------------
// Grouping across modules

export interface SignatureIncident {
  id: number;
  module: string;
  symbol: string;
  kind: SignatureKind;
  /** series of the last good and the first bad kernel */
  lastGoodSeries: string;
  series: string;
  firstBadKernel: string;
  status: IncidentStatus;
  fixedIn: string | null;
  fixedInKernel: string | null;
}

export interface SignatureModule {
  module: string;
  /** open while any of its incidents with this symbol is open */
  status: IncidentStatus;
  incidentIds: number[];
  firstBadKernels: string[];
  fixedIn: string[];
}

export interface SignatureGroup {
  symbol: string;
  kind: SignatureKind;
  /** the oldest series on which some module broke with this symbol */
  firstBrokenSeries: string;
  /** the newest series, older than that, on which a broken module still passed */
  lastPassingSeries: string | null;
  series: string[];
  modules: SignatureModule[];
  openModules: number;
  fixedModules: number;
}

/**
 * One group per symbol: the same kernel change seen by several modules, perhaps on different
 * kernels (one tested on 6.8, another only on 6.12), so the group keeps the window in which the
 * change happened rather than splitting per series.
 */
export function groupBySignature(incidents: readonly SignatureIncident[]): SignatureGroup[] {
  const bySymbol = new Map<string, SignatureIncident[]>();
  for (const i of incidents) bySymbol.set(i.symbol, [...(bySymbol.get(i.symbol) ?? []), i]);
  const groups = [...bySymbol.entries()].map(([symbol, list]): SignatureGroup => {
    const series = [...new Set(list.map((i) => i.series))].sort(compareSeries);
    const firstBrokenSeries = series[0];
    const before = list.map((i) => i.lastGoodSeries).filter((s) => compareSeries(s, firstBrokenSeries) < 0).sort(compareSeries);
    const byModule = new Map<string, SignatureIncident[]>();
    for (const i of list) byModule.set(i.module, [...(byModule.get(i.module) ?? []), i]);
    const modules = [...byModule.entries()]
      .map(([module, mine]): SignatureModule => ({
        module,
        status: mine.some((i) => i.status === "open") ? "open" : "fixed",
        incidentIds: mine.map((i) => i.id).sort((a, b) => a - b),
        firstBadKernels: [...new Set(mine.map((i) => i.firstBadKernel))],
        fixedIn: [...new Set(mine.flatMap((i) => [i.fixedIn, i.fixedInKernel && `kernel ${i.fixedInKernel}`].filter((x): x is string => !!x)))],
      }))
      .sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
    return {
      symbol,
      kind: list[0].kind,
      firstBrokenSeries,
      lastPassingSeries: before.at(-1) ?? null,
      series,
      modules,
      openModules: modules.filter((m) => m.status === "open").length,
      fixedModules: modules.filter((m) => m.status === "fixed").length,
    };
  });
  return groups.sort((a, b) => b.modules.length - a.modules.length || compareSeries(a.firstBrokenSeries, b.firstBrokenSeries) || (a.symbol < b.symbol ? -1 : 1));
}
