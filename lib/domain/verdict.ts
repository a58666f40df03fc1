import { declaredPosition } from "./declared-range";
import { kernelLine, kernelSortKey, sameUpstreamAndRevision, seriesSortKey, type KernelVersion } from "./kernel-version";
import { foldArches, foldKernelCells, groupBy } from "./matrix";
import { compareModuleVersions } from "./module-version";
import { isMeaningful, type Status } from "./status";

/**
 * The pre-upgrade verdict: will this module version work on that kernel? Declared once here; the
 * API, the page, the CLI, the kernel hook and the badges all show these words.
 *
 * Rules (judgeVersion), first match wins:
 *  1. a pass / fail / skip on the exact kernel → works / broken / unsupported;
 *  2. the same on a kernel of the same upstream version and distro revision (another flavour of
 *     the same build, e.g. 6.1.0-56-cloud-amd64 for 6.1.0-56-amd64): fail → broken, skip →
 *     unsupported, pass → works (a failure outweighs a pass there);
 *  3. a declared kernel range (dkms.conf BUILD_EXCLUSIVE_*, OpenZFS META) that excludes the kernel
 *     → unsupported;
 *  4. the nearest kernels of the same series on either side (same kernel line, kernelLine, when
 *     the series has any result of that line) all pass → likely; if one of them fails or skips, the evidence
 *     contradicts itself → unknown, and the reason names the nearest kernel that does not pass;
 *  5. a declared range that includes the kernel, with nothing of rule 4 against it → likely;
 *  6. otherwise unknown. `error` results are never a verdict (the environment broke); they are
 *     shown as evidence only.
 */
export const VERDICTS = ["works", "likely", "broken", "unsupported", "unknown"] as const;
export type Verdict = (typeof VERDICTS)[number];

export const VERDICT_MEANING: Record<Verdict, string> = {
  works: "passes on this kernel, or on another flavour of the same upstream version and distro revision",
  likely: "no result on this kernel, but it passes on the nearest kernels of the same series or the module declares support",
  broken: "fails to build, load or test on this kernel",
  unsupported: "the module itself declines this kernel (a skip result or a declared kernel range that excludes it)",
  unknown: "no usable evidence for this kernel",
};

/** Printed next to the colour, so a verdict is never conveyed by colour alone. */
export const VERDICT_SYMBOL: Record<Verdict, string> = {
  works: "✓",
  likely: "≈",
  broken: "✗",
  unsupported: "⊘",
  unknown: "?",
};

/** The verdict as a predicate, for sentences: "2.3.2 likely works on this kernel". */
export const VERDICT_PHRASE: Record<Verdict, string> = {
  works: "works",
  likely: "likely works",
  broken: "is broken",
  unsupported: "is unsupported",
  unknown: "has no verdict",
};

/**
 * What a verdict rests on: build results (observed), only the module's own declared kernel range
 * (declared: nobody built that version on that series here), or nothing. A declared answer is
 * always labelled as such, never shown as if it had been built.
 */
export const VERDICT_BASES = ["observed", "declared", "none"] as const;
export type VerdictBasis = (typeof VERDICT_BASES)[number];

/** What a set of verdicts means for the upgrade as a whole. */
export const CHECK_OUTCOMES = ["ok", "blocked", "uncertain"] as const;
export type CheckOutcome = (typeof CHECK_OUTCOMES)[number];

const OUTCOME_OF: Record<Verdict, CheckOutcome> = {
  works: "ok",
  likely: "ok",
  broken: "blocked",
  unsupported: "blocked",
  unknown: "uncertain",
};

/** blocked if any module is broken or unsupported, else uncertain if any is unknown, else ok. */
export function checkOutcome(verdicts: readonly Verdict[]): CheckOutcome {
  const outcomes = verdicts.map((v) => OUTCOME_OF[v]);
  if (outcomes.includes("blocked")) return "blocked";
  if (outcomes.includes("uncertain")) return "uncertain";
  return "ok";
}

/** How a piece of evidence relates to the kernel asked about. */
export const EVIDENCE_RELATIONS = ["exact", "same-revision", "series-neighbour", "last-pass", "first-fail"] as const;
export type EvidenceRelation = (typeof EVIDENCE_RELATIONS)[number];

/** One module version on one kernel and arch: a row of the Cell table. */
export interface KernelCell {
  kernel: KernelVersion;
  arch: string;
  status: Status;
  errorLine: string | null;
  logUrl: string | null;
  lastResultAt: Date;
}

/**
 * A version's cells grouped by kernel series, read one series at a time: the check keeps each
 * series as stored text and makes cells of it only when a rule walks there (cellsBySeries makes
 * one of a plain list).
 */
export interface CellsBySeries {
  /** the series that have cells, in any order */
  readonly series: readonly string[];
  cells(series: string): readonly KernelCell[];
  /** the passing kernels of one series (passingKernels of its cells; a source may keep them) */
  passing(series: string): readonly KernelVersion[];
}

export interface VersionFacts {
  version: string;
  declaredKernelMin: string | null;
  declaredKernelMax: string | null;
  /** cells of this version; rules 1–5 only look at kernels of the target's series */
  cells: readonly KernelCell[];
  /**
   * This version's cells by series, for series that `cells` does not hold (where it does, `cells`
   * is read): only "failing since" reads them, walking back from the failing kernel series by
   * series until its answer.
   */
  elsewhere?: CellsBySeries;
}

/** A version's state on one kernel, arches folded (worst meaningful status wins). */
export interface KernelState {
  kernel: KernelVersion;
  status: Status;
  arches: { arch: string; status: Status }[];
  errorLine: string | null;
  logUrl: string | null;
  lastResultAt: Date;
}

export interface EvidenceItem {
  relation: EvidenceRelation;
  version: string;
  kernel: string;
  status: Status;
  arches: { arch: string; status: Status }[];
  errorLine: string | null;
  logUrl: string | null;
  lastResultAt: Date;
}

export interface VersionVerdict {
  verdict: Verdict;
  basis: VerdictBasis;
  /** one sentence a sysadmin can act on */
  reason: string;
  errorLine: string | null;
  /** broken only: where the current run of failures began, and the last pass before it */
  since: { kernel: string; lastPass: string | null } | null;
  /** broken only: the oldest other version that works (else is likely to) on this kernel */
  fixedIn: { version: string; verdict: "works" | "likely" } | null;
  /** unsupported only: the newest other version that accepts this kernel */
  newestAccepting: { version: string; verdict: Verdict } | null;
  declaredRange: { min: string | null; max: string | null } | null;
  evidence: EvidenceItem[];
}

// ---------------------------------------------------------------------------------------------

// kernelSortKey orders exactly as compareKernels (tests/unit/kernel-version.test.ts checks it), and
// comparing two strings is much cheaper than comparing parsed kernels; parsed kernels are shared
// objects, so each key is computed once.
const sortKeys = new WeakMap<KernelVersion, string>();
function sortKeyOf(k: KernelVersion): string {
  let key = sortKeys.get(k);
  if (key === undefined) {
    key = kernelSortKey(k);
    sortKeys.set(k, key);
  }
  return key;
}
const byKernelOrder = (a: { kernel: KernelVersion }, b: { kernel: KernelVersion }) => {
  const x = sortKeyOf(a.kernel);
  const y = sortKeyOf(b.kernel);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Fold a version's cells per kernel (foldKernelCells, the matrix rule), in kernel order. */
export function foldByKernel(cells: readonly KernelCell[]): KernelState[] {
  const states: KernelState[] = [];
  for (const group of groupBy(cells, (c) => c.kernel.raw).values()) states.push(foldKernel(group)!);
  return states.sort(byKernelOrder);
}

/** One kernel's cells (every arch) folded into its state, as foldByKernel does; null without cells. */
function foldKernel(group: readonly KernelCell[]): KernelState | null {
  const folded = foldKernelCells(group);
  if (!folded) return null;
  const { status, arches, decisive } = folded;
  let last = group[0].lastResultAt;
  for (const g of group) if (g.lastResultAt > last) last = g.lastResultAt;
  return {
    kernel: decisive.kernel,
    status,
    arches,
    errorLine: status === "pass" ? null : decisive.errorLine,
    logUrl: decisive.logUrl,
    lastResultAt: last,
  };
}

/**
 * The kernels on which a version passes, arches folded as in foldByKernel (the worst status of a
 * kernel's arches, so folding pairwise as cells come is folding all); in first-seen order.
 */
export function passingKernels(cells: readonly KernelCell[]): KernelVersion[] {
  const folded = new Map<string, { kernel: KernelVersion; status: Status }>();
  for (const c of cells) {
    const held = folded.get(c.kernel.raw);
    if (!held) folded.set(c.kernel.raw, { kernel: c.kernel, status: c.status });
    else if (held.status !== c.status) held.status = foldArches([held.status, c.status])!;
  }
  const out: KernelVersion[] = [];
  for (const f of folded.values()) if (f.status === "pass") out.push(f.kernel);
  return out;
}

// Kernel order follows series order (every kernel of 6.1 sorts before every kernel of 6.2, and
// linux-next after all: compareKernels, compareSeries), so a walk back through kernels can go
// series by series, newest first, and stop where it finds its answer: the rules that may look
// beyond the target's series (where a run of failures began, the newest safe kernel) then cost
// what the series they visit hold, not a version's whole history (issue 14).
const seriesKeys = new Map<string, string>();
function seriesKeyOf(series: string): string {
  let key = seriesKeys.get(series);
  if (key === undefined) {
    key = seriesSortKey(series);
    if (seriesKeys.size < 10_000) seriesKeys.set(series, key);
  }
  return key;
}
const newestSeriesFirst = (a: string, b: string) => {
  const x = seriesKeyOf(a);
  const y = seriesKeyOf(b);
  return x < y ? 1 : x > y ? -1 : 0;
};

const lines = new WeakMap<KernelVersion, string>();
function lineOf(k: KernelVersion): string {
  let line = lines.get(k);
  if (line === undefined) {
    line = kernelLine(k);
    lines.set(k, line);
  }
  return line;
}

function describeRange(min: string | null, max: string | null): string {
  if (min && max) return `kernels ${min} to ${max}`;
  if (min) return `kernels ${min} and newer`;
  return `kernels up to ${max}`;
}

const evidenceOf = (relation: EvidenceRelation, version: string, s: KernelState): EvidenceItem => ({
  relation,
  version,
  kernel: s.kernel.raw,
  status: s.status,
  arches: s.arches,
  errorLine: s.errorLine,
  logUrl: s.logUrl,
  lastResultAt: s.lastResultAt,
});

const day = (d: Date) => d.toISOString().slice(0, 10);
const withError = (s: KernelState) => (s.errorLine ? `: ${s.errorLine}` : "");

interface BaseVerdict {
  verdict: Verdict;
  basis: VerdictBasis;
  reason: string;
  errorLine: string | null;
  /** the state that decided a broken verdict */
  decisive: KernelState | null;
  evidence: EvidenceItem[];
}

/** Rules 1–6 for one version, without looking at other versions. */
function baseVerdict(target: KernelVersion, facts: VersionFacts): BaseVerdict {
  const v = facts.version;
  const inSeries = facts.cells.filter((c) => c.kernel.series === target.series);
  // The target's own cells first: when they decide (rule 1, the common case), the rest of the
  // series need not be folded. The same state as foldByKernel's entry for the target.
  const exact = foldKernel(inSeries.filter((c) => c.kernel.raw === target.raw));
  const evidence: EvidenceItem[] = exact ? [evidenceOf("exact", v, exact)] : [];

  if (exact && isMeaningful(exact.status)) {
    const when = `(last result ${day(exact.lastResultAt)})`;
    if (exact.status === "pass") return { verdict: "works", basis: "observed", reason: `${v} passes on ${target.raw} ${when}`, errorLine: null, decisive: null, evidence };
    if (exact.status === "fail") {
      return { verdict: "broken", basis: "observed", reason: `${v} fails on ${target.raw}${withError(exact)}`, errorLine: exact.errorLine, decisive: exact, evidence };
    }
    return { verdict: "unsupported", basis: "observed", reason: `${v} declines ${target.raw}: the module's own checks skip this kernel ${when}`, errorLine: exact.errorLine, decisive: null, evidence };
  }
  const states = foldByKernel(inSeries);

  const sameRevision = states.filter((s) => s.kernel.raw !== target.raw && isMeaningful(s.status) && sameUpstreamAndRevision(s.kernel, target));
  evidence.push(...sameRevision.map((s) => evidenceOf("same-revision", v, s)));
  const failing = sameRevision.find((s) => s.status === "fail");
  if (failing) {
    return {
      verdict: "broken",
      basis: "observed",
      reason: `${v} fails on ${failing.kernel.raw}, the same upstream version and revision as ${target.raw}${withError(failing)}`,
      errorLine: failing.errorLine,
      decisive: failing,
      evidence,
    };
  }
  const skipped = sameRevision.find((s) => s.status === "skip");
  if (skipped) {
    return { verdict: "unsupported", basis: "observed", reason: `${v} declines ${skipped.kernel.raw}, the same upstream version and revision as ${target.raw}`, errorLine: null, decisive: null, evidence };
  }
  const passing = sameRevision.find((s) => s.status === "pass");
  if (passing) {
    return { verdict: "works", basis: "observed", reason: `${v} passes on ${passing.kernel.raw}, the same upstream version and revision as ${target.raw}`, errorLine: null, decisive: null, evidence };
  }

  const fit = declaredPosition(target, { min: facts.declaredKernelMin, max: facts.declaredKernelMax });
  const range = describeRange(facts.declaredKernelMin, facts.declaredKernelMax);
  if (fit === "outside") {
    return { verdict: "unsupported", basis: "declared", reason: `${v} declares support for ${range}, which excludes ${target.raw} (declared by the module, not observed)`, errorLine: null, decisive: null, evidence };
  }

  const others = states.filter((s) => s.kernel.raw !== target.raw && isMeaningful(s.status) && !sameUpstreamAndRevision(s.kernel, target));
  const line = kernelLine(target);
  const ownLine = others.filter((s) => kernelLine(s.kernel) === line);
  const pool = ownLine.length > 0 ? ownLine : others;
  const at = sortKeyOf(target);
  const below = pool.filter((s) => sortKeyOf(s.kernel) < at).at(-1);
  const above = pool.find((s) => sortKeyOf(s.kernel) > at);
  const nearest = [below, above].filter((s): s is KernelState => s !== undefined);
  evidence.push(...nearest.map((s) => evidenceOf("series-neighbour", v, s)));
  const onlyErrors = exact ? ` (only environment errors on ${target.raw} itself)` : "";
  if (nearest.length > 0) {
    const against = nearest.find((s) => s.status !== "pass");
    if (!against) {
      const names = nearest.map((s) => s.kernel.raw).join(" and ");
      return {
        verdict: "likely",
        basis: "observed",
        reason: `no result for ${v} on ${target.raw}${onlyErrors}; it passes on ${names}, the nearest ${target.series} kernel${nearest.length > 1 ? "s" : ""}`,
        errorLine: null,
        decisive: null,
        evidence,
      };
    }
    const what = against.status === "fail" ? `fails on ${against.kernel.raw}${withError(against)}` : `declines ${against.kernel.raw}`;
    return {
      verdict: "unknown",
      basis: "observed",
      reason: `no result for ${v} on ${target.raw}${onlyErrors}; it ${what}, the nearest ${target.series} kernel with a result, so it may not build here either`,
      errorLine: against.errorLine,
      decisive: null,
      evidence,
    };
  }
  if (fit === "inside") {
    return { verdict: "likely", basis: "declared", reason: `no result for ${v} on ${target.raw}${onlyErrors}; it declares support for ${range} (declared by the module, not observed)`, errorLine: null, decisive: null, evidence };
  }
  return { verdict: "unknown", basis: "none", reason: `no result for ${v} on ${target.raw} or any other ${target.series} kernel${onlyErrors}`, errorLine: null, decisive: null, evidence };
}

/**
 * Where the current run of failures began: walking back from the failing kernel through the kernels
 * of its line (kernelLine, as regressions walk), the oldest failure after the last pass (errors and
 * skips do not break the run). On the same data this is the first bad kernel of the incident.
 */
function failureRun(version: string, facts: VersionFacts, failing: KernelState): { since: VersionVerdict["since"]; evidence: EvidenceItem[] } {
  const line = lineOf(failing.kernel);
  const at = sortKeyOf(failing.kernel);
  const here = groupBy(facts.cells, (c) => c.kernel.series);
  const from = seriesKeyOf(failing.kernel.series);
  const series = [...new Set([...here.keys(), ...(facts.elsewhere?.series ?? [])])].filter((s) => seriesKeyOf(s) <= from).sort(newestSeriesFirst);
  const cellsOf = (s: string): readonly KernelCell[] => here.get(s) ?? facts.elsewhere?.cells(s) ?? [];
  let first = failing;
  let lastPass: KernelState | null = null;
  walk: for (const s of series) {
    const states = foldByKernel(cellsOf(s).filter((c) => lineOf(c.kernel) === line)).filter(
      (st) => (st.status === "pass" || st.status === "fail") && sortKeyOf(st.kernel) <= at,
    );
    for (let i = states.length - 1; i >= 0; i--) {
      if (states[i].status === "pass") {
        lastPass = states[i];
        break walk;
      }
      first = states[i];
    }
  }
  const evidence: EvidenceItem[] = [];
  if (first.kernel.raw !== failing.kernel.raw) evidence.push(evidenceOf("first-fail", version, first));
  if (lastPass) evidence.push(evidenceOf("last-pass", version, lastPass));
  return { since: { kernel: first.kernel.raw, lastPass: lastPass?.kernel.raw ?? null }, evidence };
}

/**
 * The verdict for one module version on a target kernel. `others` are the module's other versions
 * (their cells on the target's series suffice); they answer "which version would work instead".
 */
export function judgeVersion(target: KernelVersion, facts: VersionFacts, others: readonly VersionFacts[] = []): VersionVerdict {
  const base = baseVerdict(target, facts);
  const declared = facts.declaredKernelMin || facts.declaredKernelMax ? { min: facts.declaredKernelMin, max: facts.declaredKernelMax } : null;
  const out: VersionVerdict = {
    verdict: base.verdict,
    basis: base.basis,
    reason: base.reason,
    errorLine: base.errorLine,
    since: null,
    fixedIn: null,
    newestAccepting: null,
    declaredRange: declared,
    evidence: base.evidence,
  };
  const alternatives = others
    .filter((o) => o.version !== facts.version)
    .map((o) => ({ version: o.version, verdict: baseVerdict(target, o).verdict }));
  const oldestFirst = (a: { version: string }, b: { version: string }) => compareModuleVersions(a.version, b.version);

  if (base.verdict === "broken" && base.decisive) {
    const run = failureRun(facts.version, facts, base.decisive);
    out.since = run.since;
    out.evidence.push(...run.evidence);
    if (run.since && run.since.kernel !== base.decisive.kernel.raw) out.reason += ` (failing since ${run.since.kernel})`;
    const fix =
      alternatives.filter((a) => a.verdict === "works").sort(oldestFirst)[0] ?? alternatives.filter((a) => a.verdict === "likely").sort(oldestFirst)[0];
    if (fix) {
      out.fixedIn = { version: fix.version, verdict: fix.verdict as "works" | "likely" };
      out.reason += `; ${fix.version} ${fix.verdict === "works" ? "works" : "likely works"} there`;
    }
  }
  if (base.verdict === "unsupported") {
    const newestFirst = (a: { version: string }, b: { version: string }) => compareModuleVersions(b.version, a.version);
    const accepting =
      alternatives.filter((a) => a.verdict === "works" || a.verdict === "likely").sort(newestFirst)[0] ??
      alternatives.filter((a) => a.verdict === "broken").sort(newestFirst)[0];
    if (accepting) {
      out.newestAccepting = accepting;
      out.reason += `; ${accepting.version} accepts it (${accepting.verdict})`;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export interface SafeKernels {
  overall: KernelVersion | null;
  /** among the kernels of the target's line (kernelLine); null when no target was given */
  inLine: KernelVersion | null;
}

/** A plain list of cells as CellsBySeries. */
export function cellsBySeries(cells: readonly KernelCell[]): CellsBySeries {
  const groups = groupBy(cells, (c) => c.kernel.series);
  return { series: [...groups.keys()], cells: (s) => groups.get(s) ?? [], passing: (s) => passingKernels(groups.get(s) ?? []) };
}

/**
 * The newest kernel on which every one of the given module versions passes (arches folded, as
 * passingKernels). Each entry is one version's cells, or the list of kernels where it passes. No
 * versions, no answer. Only the series down to the answer are read.
 */
export function newestCommonPass(versions: readonly (CellsBySeries | readonly KernelVersion[])[], target: KernelVersion | null): SafeKernels {
  if (versions.length === 0) return { overall: null, inLine: null };
  const newest = (list: KernelVersion[]) => list.reduce<KernelVersion | null>((best, k) => (!best || sortKeyOf(k) > sortKeyOf(best) ? k : best), null);
  const line = target ? kernelLine(target) : null;
  const sources = versions.map((v) => {
    if (!Array.isArray(v)) return v as CellsBySeries;
    const groups = groupBy(v as readonly KernelVersion[], (k) => k.series);
    return { series: [...groups.keys()], passing: (s: string) => groups.get(s) ?? [] };
  });
  // Series by series, newest first (kernel order follows series order): the first series with a
  // kernel common to all is where the newest one is, and likewise for the target's line.
  const shared = sources.slice(1).map((src) => new Set(src.series));
  const series = sources[0].series.filter((s) => shared.every((set) => set.has(s))).sort(newestSeriesFirst);
  let overall: KernelVersion | null = null;
  let inLine: KernelVersion | null = null;
  for (const s of series) {
    const sets = sources.slice(1).map((src) => new Set(src.passing(s).map((k) => k.raw)));
    const common = sources[0].passing(s).filter((k) => sets.every((set) => set.has(k.raw)));
    overall ??= newest(common);
    if (line !== null) inLine ??= newest(common.filter((k) => lineOf(k) === line));
    if (overall && (line === null || inLine)) break;
  }
  return { overall, inLine };
}
