/**
 * Predicted verdicts: will a module version build on a kernel nobody has built it on, judged from
 * its footprint (what one real build on another kernel, the base, used) and the two kernels' API
 * snapshots. Pure and table-tested (tests/unit/prediction.test.ts). A prediction is never a
 * result: it is shown labelled, never stored as a Cell and never opens an incident.
 */
import { CallableIndex, encodeHeaders, encodeSymbols, HeaderIndex, SymbolIndex, type ExportedSymbol } from "./kernel-api";
import { isGplCompatible } from "./footprint";

export const PREDICTED_OUTCOMES = ["fail", "pass", "unknown"] as const;
export type PredictedOutcome = (typeof PREDICTED_OUTCOMES)[number];
export const PREDICTION_STRENGTHS = ["strong", "weak"] as const;
export type PredictionStrength = (typeof PREDICTION_STRENGTHS)[number];

export const REASON_KINDS = [
  /** an undefined symbol of its .ko that the target no longer exports */
  "symbol-removed",
  /** a used symbol the target exports GPL-only, and the module's licence is not GPL-compatible */
  "symbol-gpl-only",
  /** a used symbol the target exports in a namespace the module does not import */
  "symbol-namespace",
  /** a header it includes directly (and the base build read) that the target lacks */
  "header-removed",
  /** a macro its sources call with a number of arguments the target's macro no longer takes */
  "macro-arity",
  /** a function its sources call with a number of arguments the target's prototype no longer takes (the prototype index) */
  "call-arity",
  /** a name its sources use that the base exported or defined in its headers, and the target has nowhere (the compiler may have inlined it; or it sits in a branch not taken) */
  "reference-removed",
  /** a used symbol whose CRC (its prototype or a type it uses) changed: weak */
  "symbol-crc-changed",
  /** removed, but the sources also name API only the target has: compatibility code behind a version check, weak */
  "removed-behind-version-check",
  /** moved to a namespace the base build did not import, but the sources do call MODULE_IMPORT_NS: an import behind a version check, weak */
  "namespace-behind-version-check",
  /** removed or changed, but the module also built on another kernel that lacks it the same way: weak */
  "built-without-it",
] as const;
export type ReasonKind = (typeof REASON_KINDS)[number];

/** How each reason counts: a strong fail, a weak fail, or only weakening a pass. */
export const REASON_WEIGHT: Record<ReasonKind, "fail" | "weak-fail" | "weak-pass"> = {
  "symbol-removed": "fail",
  "symbol-gpl-only": "fail",
  "symbol-namespace": "fail",
  "header-removed": "fail",
  "macro-arity": "weak-fail",
  "call-arity": "weak-fail",
  "reference-removed": "weak-fail",
  "symbol-crc-changed": "weak-pass",
  "removed-behind-version-check": "weak-pass",
  "namespace-behind-version-check": "weak-pass",
  "built-without-it": "weak-pass",
};

export interface PredictionReason {
  kind: ReasonKind;
  /** the symbol or header */
  name: string;
  /** built-without-it: the kernel it built on without it */
  on?: string;
}

export interface Prediction {
  outcome: PredictedOutcome;
  strength: PredictionStrength;
  /** fail reasons first, then CRC changes; each list sorted by name */
  reasons: PredictionReason[];
  /** "strlcpy removed", "no footprint" … the short text shown after "predicted:" */
  summary: string;
}

export interface FootprintView {
  symbols: readonly string[];
  headers: readonly string[];
  references?: readonly string[];
  includes?: readonly string[];
  macroCalls?: readonly string[];
  licences?: readonly string[];
  importedNamespaces?: readonly string[];
}

/** What the rules ask of a snapshot: lookups by name only, never a walk over all of it. */
interface Lookup<T> {
  has(name: string): boolean;
  get(name: string): T | undefined;
}

export interface ApiView {
  symbols: Lookup<ExportedSymbol>;
  headers: { has(path: string): boolean };
  /** names of the function-like macros and static inlines of the headers (parseHeaderCallables) */
  callables: { has(name: string): boolean };
  /** each function-like macro's arities ("*": variadic) */
  macroArities: Lookup<ReadonlySet<string>>;
  /** each declared function's arities (the prototype index; empty for snapshots made before it) */
  functionArities: Lookup<ReadonlySet<string>>;
}

/**
 * A snapshot's view from its stored texts (encodeSymbols, encodeHeaders; KernelApi holds them
 * gzipped): indexes over the texts themselves (lib/domain/kernel-api.ts), so a view is about 3 MB
 * and a few ms to make, and a process can keep every snapshot a page needs.
 */
export function apiViewOfTexts(texts: { symbols: string; headers: string; callables: string }): ApiView {
  const callables = new CallableIndex(texts.callables);
  return {
    symbols: new SymbolIndex(texts.symbols),
    headers: new HeaderIndex(texts.headers),
    callables: callables.names,
    macroArities: callables.macroArities,
    functionArities: callables.functionArities,
  };
}

export function apiView(snapshot: { symbols: readonly ExportedSymbol[]; headers: readonly string[]; callables?: readonly string[] }): ApiView {
  return apiViewOfTexts({ symbols: encodeSymbols(snapshot.symbols), headers: encodeHeaders(snapshot.headers), callables: encodeHeaders(snapshot.callables ?? []) });
}

/** A name a module can call on this kernel: exported, or a macro or inline of its headers. */
export function callable(api: ApiView, name: string): boolean {
  return api.symbols.has(name) || api.callables.has(name);
}

const REASON_TEXT: Record<ReasonKind, (name: string) => string> = {
  "symbol-removed": (n) => `${n} removed`,
  "symbol-gpl-only": (n) => `${n} became GPL-only`,
  "symbol-namespace": (n) => `${n} moved to a namespace`,
  "header-removed": (n) => `${n} removed`,
  "macro-arity": (n) => `${n} takes other arguments`,
  "call-arity": (n) => `${n} takes other arguments`,
  "reference-removed": (n) => `${n} removed`,
  "symbol-crc-changed": (n) => `${n} changed signature`,
  "removed-behind-version-check": (n) => `${n} removed`,
  "namespace-behind-version-check": (n) => `${n} moved to a namespace`,
  "built-without-it": (n) => `${n} changed`,
};

export function describeReasons(reasons: readonly PredictionReason[], max = 2): string {
  const shown = reasons.slice(0, max).map((r) => REASON_TEXT[r.kind](r.name) + (r.on ? ` (it built without it on ${r.on})` : ""));
  return reasons.length > max ? `${shown.join(", ")} and ${reasons.length - max} more` : shown.join(", ");
}

/** Each called name's argument counts, from "name/N" entries. */
function callArities(footprint: FootprintView): Map<string, Set<string>> {
  const calls = new Map<string, Set<string>>();
  for (const c of footprint.macroCalls ?? []) {
    const i = c.lastIndexOf("/");
    const set = calls.get(c.slice(0, i)) ?? new Set<string>();
    set.add(c.slice(i + 1));
    calls.set(c.slice(0, i), set);
  }
  return calls;
}

/** A name's arities on a kernel: as a function-like macro and as a declared function. */
function arities(api: ApiView, name: string): Set<string> {
  return new Set([...(api.macroArities.get(name) ?? []), ...(api.functionArities.get(name) ?? [])]);
}

const fitsOne = (counts: ReadonlySet<string>, declared: ReadonlySet<string>) => [...counts].some((k) => declared.has(k));

/** Does this kernel lack what the reason says the target lacks? */
function lacksLikeTarget(r: PredictionReason, api: ApiView, footprint: FootprintView): boolean {
  switch (r.kind) {
    case "symbol-removed":
    case "reference-removed":
      return !callable(api, r.name);
    case "header-removed":
      return !api.headers.has(r.name);
    case "macro-arity":
    case "call-arity": {
      // no call form fits there either, or the name is not declared there at all: its calls sit in
      // a branch that kernel did not compile (scap's __access_remote_vm/6, for kernels before 4.9)
      const declared = arities(api, r.name);
      return !declared.has("*") && !fitsOne(callArities(footprint).get(r.name) ?? new Set(), declared);
    }
    default:
      return false;
  }
}

const unknown = (summary: string): Prediction => ({ outcome: "unknown", strength: "weak", reasons: [], summary });

/**
 * @param base the snapshot of the kernel the footprint was recorded on (null: not imported; then a
 *   symbol missing from the target cannot be told from one that never was a kernel export, e.g.
 *   one exported by a sibling module, so it only counts as a weak fail)
 * @param baseIsNewer the footprint's kernel is newer than the target (no older one was recorded):
 *   a predicted failure is then unknown
 * @param alsoBuiltOn a reason that another kernel the module built on shares (the name absent, the
 *   header absent, no call form fitting) is no break: built-without-it, a weak pass
 */
export function predictBuild(input: {
  footprint: FootprintView | null;
  base: ApiView | null;
  target: ApiView | null;
  baseIsNewer?: boolean;
  /** the snapshots of the other kernels this module version built on (their footprints), target excluded */
  alsoBuiltOn?: readonly { kernel: string; api: ApiView }[];
}): Prediction {
  const { footprint, base, target } = input;
  if (!footprint) return unknown("no footprint: no passing build with footprint on another kernel");
  if (!target) return unknown("no API snapshot of the target kernel");
  if (footprint.symbols.length === 0 && footprint.headers.length === 0) return unknown("empty footprint");

  const reasons: PredictionReason[] = [];
  let weakFail = false;
  // Sources that already name some of the target's newer API (a name the target has and the base
  // lacks) carry compatibility code chosen by kernel version: an export or name they used on the
  // base and the target removed is most likely behind an #if the target's build does not take.
  const knowsTarget = !!base && (footprint.references ?? []).some((n) => !callable(base, n) && callable(target, n));
  // The same for headers: sources that include a header only the target has (linux/unaligned.h,
  // 6.12) choose between it and the one it replaces (asm/unaligned.h) by kernel version.
  const includesTarget = !!base && (footprint.includes ?? []).some((h) => !base.headers.has(h) && target.headers.has(h));
  // The base build imported namespaces its sources name in MODULE_IMPORT_NS calls; sources that
  // call it although the base .ko imports nothing of the target's namespace do so under a version check.
  const importsConditionally = (footprint.macroCalls ?? []).some((c) => c.startsWith("MODULE_IMPORT_NS/")) || (footprint.references ?? []).includes("MODULE_IMPORT_NS");
  const gpl = isGplCompatible(footprint.licences);
  // namespaces are recorded by the same runner as licences; without licences they are unknown
  const imported = footprint.licences && footprint.licences.length ? new Set(footprint.importedNamespaces ?? []) : null;
  const used = new Set(footprint.symbols);
  // null: the runner did not record what the sources call
  const called = footprint.references ? new Set(footprint.references) : null;

  for (const name of footprint.symbols) {
    const t = target.symbols.get(name);
    const b = base?.symbols.get(name);
    if (!t) {
      if (base && !b) continue; // not a kernel export on the base either (a sibling module's, or an alias)
      // emitted by the base's own inlines and macros (kmalloc_trace, __class_create), not named by
      // the module: the target's headers emit their own calls instead
      if (called && !called.has(name)) continue;
      if (target.callables.has(name)) continue; // still a macro or inline (6.12's vmalloc, strscpy)
      reasons.push({ kind: knowsTarget ? "removed-behind-version-check" : "symbol-removed", name });
      if (!base) weakFail = true;
      continue;
    }
    if (t.gplOnly && gpl === false) reasons.push({ kind: "symbol-gpl-only", name });
    else if (t.namespace && imported && !imported.has(t.namespace)) reasons.push({ kind: importsConditionally ? "namespace-behind-version-check" : "symbol-namespace", name });
    else if (b && b.crc && t.crc && b.crc !== t.crc) reasons.push({ kind: "symbol-crc-changed", name });
  }
  if (base) {
    const read = new Set(footprint.headers);
    for (const h of footprint.includes ?? []) {
      if (read.has(h) && base.headers.has(h) && !target.headers.has(h)) reasons.push({ kind: includesTarget ? "removed-behind-version-check" : "header-removed", name: h });
    }
    for (const [name, counts] of callArities(footprint)) {
      const now = target.macroArities.get(name);
      const before = base.macroArities.get(name);
      // the module must have built with one of its call forms, and none of them fits the target
      if (now && !target.symbols.has(name)) {
        if (!now.has("*") && before && !before.has("*") && fitsOne(counts, before) && !fitsOne(counts, now)) reasons.push({ kind: "macro-arity", name });
        continue;
      }
      // a function (the prototype index): the same test on its declared arities, macros of the same name included
      const nowF = arities(target, name);
      const beforeF = arities(base, name);
      if (nowF.size && !nowF.has("*") && beforeF.size && !beforeF.has("*") && target.functionArities.has(name) && fitsOne(counts, beforeF) && !fitsOne(counts, nowF)) {
        reasons.push({ kind: "call-arity", name });
      }
    }
    for (const name of footprint.references ?? []) {
      if (!used.has(name) && callable(base, name) && !callable(target, name)) reasons.push({ kind: knowsTarget ? "removed-behind-version-check" : "reference-removed", name });
    }
  }

  // The module also built on other kernels (their footprints): what it built without there does not
  // break it here (a version check chose other API there; strlcpy behind `#if`, asm/unaligned.h)
  for (let i = 0; i < reasons.length; i++) {
    const r = reasons[i];
    const other = (input.alsoBuiltOn ?? []).find((k) => lacksLikeTarget(r, k.api, footprint));
    if (other && REASON_WEIGHT[r.kind] !== "weak-pass") reasons[i] = { kind: "built-without-it", name: r.name, on: other.kernel };
  }

  const order = (r: PredictionReason) => REASON_KINDS.indexOf(r.kind);
  reasons.sort((a, b) => order(a) - order(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const strongFails = reasons.filter((r) => REASON_WEIGHT[r.kind] === "fail");
  const weakFails = reasons.filter((r) => REASON_WEIGHT[r.kind] === "weak-fail");
  const crc = reasons.filter((r) => r.kind === "symbol-crc-changed");
  const guarded = reasons.filter((r) => REASON_WEIGHT[r.kind] === "weak-pass" && r.kind !== "symbol-crc-changed");
  // Backwards (only a newer kernel's footprint): modules keep code for older kernels behind
  // version checks, so what the newer build used and the older kernel lacks says little.
  if (input.baseIsNewer && (strongFails.length || weakFails.length)) {
    return unknown(`only a newer kernel's footprint, which uses ${describeReasons([...strongFails, ...weakFails]).replace(/ removed/g, "")} (older kernels are often served by version checks)`);
  }
  if (strongFails.length) return { outcome: "fail", strength: weakFail && strongFails.every((r) => r.kind === "symbol-removed") ? "weak" : "strong", reasons, summary: describeReasons([...strongFails, ...weakFails]) };
  if (weakFails.length) return { outcome: "fail", strength: "weak", reasons, summary: describeReasons(weakFails) };
  if (guarded.length) return { outcome: "pass", strength: "weak", reasons, summary: `${describeReasons(guarded)}, likely behind a version check in its sources` };
  if (crc.length) return { outcome: "pass", strength: "weak", reasons, summary: `nothing it uses was removed; ${crc.length} used symbol${crc.length === 1 ? "" : "s"} changed signature (CRC)` };
  return { outcome: "pass", strength: "strong", reasons, summary: "nothing it uses changed" };
}

/**
 * The footprint to predict a kernel from: one recorded on another kernel, the nearest older one
 * (its API is the closest ancestor of the target's), else the nearest newer one.
 */
export function chooseFootprint<F extends { kernel: string }>(footprints: readonly F[], target: string, compare: (a: string, b: string) => number): F | null {
  let older: F | null = null;
  let newer: F | null = null;
  for (const f of footprints) {
    const c = compare(f.kernel, target);
    if (c === 0 || f.kernel === target) continue;
    if (c < 0 && (!older || compare(f.kernel, older.kernel) > 0)) older = f;
    if (c > 0 && (!newer || compare(f.kernel, newer.kernel) < 0)) newer = f;
  }
  return older ?? newer;
}

/** The one wording of a prediction, shown by the check, the matrix and the CLI: never "broken" or "works". */
export function predictionLabel(p: Pick<Prediction, "outcome" | "summary">): string | null {
  if (p.outcome === "fail") return `likely broken (predicted: ${p.summary})`;
  if (p.outcome === "pass") return `likely (predicted: ${p.summary})`;
  return null;
}
