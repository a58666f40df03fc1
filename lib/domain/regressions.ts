import { compareKernels, kernelLine, parseKernelVersion, type KernelVersion } from "./kernel-version";
import { compareModuleVersions } from "./module-version";
import { daysToFix, eventDate, type DateBasis } from "./event-date";
import { isDevelopmentSnapshot } from "./module-release";
import { extractSignature, type Signature } from "./signature";
import { foldCell, type Stage, type Status } from "./status";

/**
 * Regression detection: when did a module break, on which kernel, with which error, and when and
 * how was it fixed. Pure; the services feed it the raw results of one module and store its output.
 *
 * Kernel lines. "The previous kernel" only means something within one line of kernels built the same
 * way: the same distro and flavour (debian/amd64, debian/cloud-amd64, ubuntu/generic, mainline/…),
 * custom builds per local suffix, and linux-next on its own. A Debian 6.12 kernel is compared with
 * the Debian kernels before it, never with an Ubuntu or a mainline one, so a regression that only a
 * distro patch causes shows up on that distro's line alone. Within a line, kernels are walked in
 * compareKernels order and module versions in compareModuleVersions order.
 *
 * Verdicts. Only `pass` and `fail` are verdicts. `error` (the environment broke) and `skip` (the
 * module declines the kernel) never open or close an incident; they are stepped over.
 *
 * Observations and flakiness. One cell-state rule serves the matrix, the check, the badges, the
 * watch feed and detection: foldCell (lib/domain/status.ts). A run's observation is the cell's
 * state after that run, that is foldCell replayed over the runs in time order, so a run that only
 * repeats a build pass after a load failure leaves the cell failing, exactly as the badge says.
 * Invariant (tested): whenever foldCell over all of a cell's results is pass or fail, it equals the
 * verdict of the cell's last observation. Runs with no pass or fail, and runs after which the cell
 * is only skipped or errored, observe nothing. When a failing state is later followed by a passing
 * one on the very same version × kernel × arch, neither the module nor the kernel changed, so the
 * failure was not caused by them: the combination is flaky and takes no part in detection.
 */

export const VERDICTS = ["pass", "fail"] as const;
export type Verdict = (typeof VERDICTS)[number];

export function verdictOf(status: Status): Verdict | null {
  return status === "pass" || status === "fail" ? status : null;
}

/** What happens between two consecutive verdicts (on neighbouring kernels, or neighbouring versions). */
export const TRANSITIONS = ["new-failure", "regression", "still-failing", "fixed", "new-pass", "still-passing"] as const;
export type Transition = (typeof TRANSITIONS)[number];

export const TRANSITION_LABEL: Record<Transition, string> = {
  "new-failure": "new failure (nothing known before)",
  regression: "regression (passed on the previous one)",
  "still-failing": "still failing",
  fixed: "fixed (failed on the previous one)",
  "new-pass": "new pass (nothing known before)",
  "still-passing": "still passing",
};

const TRANSITION_TABLE: Record<Verdict | "none", Record<Verdict, Transition>> = {
  none: { fail: "new-failure", pass: "new-pass" },
  pass: { fail: "regression", pass: "still-passing" },
  fail: { fail: "still-failing", pass: "fixed" },
};

export function classifyTransition(prev: Verdict | null, cur: Verdict): Transition {
  return TRANSITION_TABLE[prev ?? "none"][cur];
}

export const CELL_STATES = ["pass", "fail", "flaky"] as const;
export type CellState = (typeof CELL_STATES)[number];

export const INCIDENT_STATUSES = ["open", "fixed"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * Where fixedAt comes from: the fixing release's publication date, the first passing build of the
 * fixing release we observed (when its release date is unknown), the release date of a later
 * kernel of the line on which the broken versions pass again (the kernel side undid the change), or
 * the first passing build on that kernel when its release date is unknown.
 */
export const FIX_BASES = ["release-date", "first-pass-observed", "kernel-release", "kernel"] as const;
export type FixBasis = (typeof FIX_BASES)[number];

/** Which clock each fix basis reads (lib/domain/event-date.ts). */
export const FIX_BASIS_DATE: Record<FixBasis, DateBasis> = {
  "release-date": "release",
  "first-pass-observed": "seen",
  "kernel-release": "release",
  kernel: "seen",
};

export interface ResultInput {
  id: number;
  runId: number;
  version: string;
  kernel: string;
  arch: string;
  stage: Stage;
  status: Status;
  finishedAt: Date;
  errorLine: string | null;
}

export interface VersionInput {
  version: string;
  releasedAt: Date | null;
}

/** A kernel's release date (the distro's upload of its package), when known. */
export interface KernelDateInput {
  version: string;
  releasedAt: Date | null;
}

export interface ResultRef {
  resultId: number;
  runId: number;
  at: Date;
}

export interface Observation extends ResultRef {
  verdict: Verdict;
  errorLine: string | null;
}

export interface CellHistory {
  version: string;
  kernel: string;
  arch: string;
  state: CellState;
  observations: Observation[];
  firstFail: Observation | null;
  firstPass: Observation | null;
}

// ---------------------------------------------------------------------------------------------
// Cells

const byTime = (a: ResultRef, b: ResultRef) => a.at.getTime() - b.at.getTime() || a.runId - b.runId || a.resultId - b.resultId;

const earliest = (a: ResultInput, b: ResultInput) => a.finishedAt.getTime() - b.finishedAt.getTime() || a.id - b.id;

/**
 * Fold the results of one version × kernel × arch into observations and a state: after each run
 * (runs in time order) the cell's state by foldCell, the one cell-state rule; a run observes when
 * it brings a pass or a fail and leaves the cell passing or failing.
 */
export function observeCell(results: readonly ResultInput[]): CellHistory | null {
  if (results.length === 0) return null;
  const runs = new Map<number, ResultInput[]>();
  for (const r of results) {
    const list = runs.get(r.runId);
    if (list) list.push(r);
    else runs.set(r.runId, [r]);
  }
  const ordered = [...runs.values()].map((rs) => rs.sort(earliest)).sort((a, b) => earliest(a[0], b[0]) || a[0].runId - b[0].runId);
  const seen: ResultInput[] = [];
  const observations: Observation[] = [];
  for (const rs of ordered) {
    seen.push(...rs);
    if (!rs.some((r) => verdictOf(r.status) !== null)) continue;
    const state = foldCell(seen.map((r) => ({ id: r.id, stage: r.stage, status: r.status, finishedAt: r.finishedAt, errorLine: r.errorLine, logUrl: null })))!;
    const verdict = verdictOf(state.status);
    if (!verdict) continue;
    // The run's own result that speaks for the new state, else its first verdict.
    const first = rs.find((r) => r.status === verdict) ?? rs.find((r) => verdictOf(r.status) !== null)!;
    observations.push({ resultId: first.id, runId: first.runId, at: first.finishedAt, verdict, errorLine: verdict === "fail" ? state.errorLine : null });
  }
  if (observations.length === 0) return null;
  // Observations stay in run order: the last one is the cell's current state.
  const firstFail = observations.find((o) => o.verdict === "fail") ?? null;
  const firstPass = observations.find((o) => o.verdict === "pass") ?? null;
  const failedBeforeAPass = firstFail !== null && observations.findLastIndex((o) => o.verdict === "pass") > observations.indexOf(firstFail);
  const state: CellState = failedBeforeAPass ? "flaky" : observations[observations.length - 1].verdict;
  const { version, kernel, arch } = results[0];
  return { version, kernel, arch, state, observations, firstFail, firstPass };
}

// ---------------------------------------------------------------------------------------------
// Grids: one per arch × kernel line

/**
 * What detection reads of a cell: its state and its first failing and first passing observations,
 * a CellHistory without the list of observations. The ingest keeps it on each Cell row (Cell.obs*,
 * lib/services/recompute-cells.ts), so detection reads one row per cell instead of its results.
 */
export type CellSummary = Pick<CellHistory, "version" | "kernel" | "arch" | "state" | "firstFail" | "firstPass">;

export interface LineGrid<C extends CellSummary = CellHistory> {
  arch: string;
  line: string;
  /** kernel order */
  kernels: string[];
  /** version order */
  versions: string[];
  /** version → kernel → cell */
  cells: Map<string, Map<string, C>>;
}

export function buildLineGrids(results: readonly ResultInput[]): LineGrid[] {
  const byCell = new Map<string, ResultInput[]>();
  for (const r of results) {
    // NUL never occurs in stored text (PostgreSQL cannot hold it), so the key is unambiguous and
    // far cheaper than JSON for the tens of thousands of results of a grid (issue 14).
    const key = `${r.arch}\0${r.version}\0${r.kernel}`;
    const list = byCell.get(key);
    if (list) list.push(r);
    else byCell.set(key, [r]);
  }
  const cells: CellHistory[] = [];
  for (const rs of byCell.values()) {
    const cell = observeCell(rs);
    if (cell) cells.push(cell);
  }
  return gridsOfCells(cells);
}

/** The arch × line grids of some cells (at most one per version × kernel × arch), in arch, line order. */
export function gridsOfCells<C extends CellSummary>(cells: readonly C[]): LineGrid<C>[] {
  const parsed = new Map<string, KernelVersion>();
  const grids = new Map<string, LineGrid<C>>();
  for (const cell of cells) {
    let kv = parsed.get(cell.kernel);
    if (!kv) parsed.set(cell.kernel, (kv = parseKernelVersion(cell.kernel)));
    const line = kernelLine(kv);
    const gridKey = `${cell.arch}|${line}`;
    let grid = grids.get(gridKey);
    if (!grid) {
      grid = { arch: cell.arch, line, kernels: [], versions: [], cells: new Map() };
      grids.set(gridKey, grid);
    }
    let row = grid.cells.get(cell.version);
    if (!row) {
      row = new Map();
      grid.cells.set(cell.version, row);
    }
    row.set(cell.kernel, cell);
  }
  for (const g of grids.values()) {
    const kernels = new Set<string>();
    for (const row of g.cells.values()) for (const k of row.keys()) kernels.add(k);
    g.kernels = [...kernels].sort((a, b) => compareKernels(parsed.get(a)!, parsed.get(b)!));
    g.versions = [...g.cells.keys()].sort(compareModuleVersions);
  }
  return [...grids.values()].sort((a, b) => (a.arch === b.arch ? cmpText(a.line, b.line) : cmpText(a.arch, b.arch)));
}

const cmpText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The verdict a cell's state contributes to detection: none for flaky or unobserved cells. */
export function cellVerdict(state: CellState | null | undefined): Verdict | null {
  return state === "pass" || state === "fail" ? state : null;
}

/** cellVerdict of a grid's cell; none where the grid has no cell. */
export function gridVerdict(grid: LineGrid<CellSummary>, version: string, kernel: string): Verdict | null {
  return cellVerdict(grid.cells.get(version)?.get(kernel)?.state);
}

export interface KernelStep {
  kernel: string;
  verdict: Verdict;
  /** the previous kernel of the line that has a verdict for this version */
  previousKernel: string | null;
  transition: Transition;
}

/** One version walked along its line's kernels, stepping over kernels without a verdict. */
export function walkKernels(grid: LineGrid<CellSummary>, version: string): KernelStep[] {
  const steps: KernelStep[] = [];
  let prev: { kernel: string; verdict: Verdict } | null = null;
  for (const kernel of grid.kernels) {
    const verdict = gridVerdict(grid, version, kernel);
    if (!verdict) continue;
    steps.push({ kernel, verdict, previousKernel: prev?.kernel ?? null, transition: classifyTransition(prev?.verdict ?? null, verdict) });
    prev = { kernel, verdict };
  }
  return steps;
}

// ---------------------------------------------------------------------------------------------
// Incidents

export interface DetectedIncident {
  /** stable identity across recomputations of the same data: arch|line|first bad kernel */
  key: string;
  arch: string;
  line: string;
  lastGoodKernel: string;
  firstBadKernel: string;
  /** series of the first bad kernel */
  series: string;
  /** version order */
  affectedVersions: string[];
  errorLine: string | null;
  signature: Signature | null;
  /** the first bad kernel's release date, or when the failure was first seen (openedAtBasis) */
  openedAt: Date;
  openedAtBasis: DateBasis;
  /** when the first failure was seen */
  openedSeenAt: Date;
  openedBy: ResultRef;
  status: IncidentStatus;
  /** the first release (not a snapshot) newer than the broken ones that passes where they failed */
  fixedIn: string | null;
  /** a later kernel of the line on which the broken versions pass again */
  fixedInKernel: string | null;
  fixedAt: Date | null;
  fixedAtBasis: FixBasis | null;
  /** when the fixing pass was first seen */
  fixedSeenAt: Date | null;
  fixedBy: ResultRef | null;
  /** a development snapshot that passed before any release did ("fixed on master") */
  fixedOnSnapshot: { version: string; at: Date } | null;
  /** null while open, and when the fix was first seen in the same run as the failure */
  timeToFixDays: number | null;
}

export interface FlakyCell {
  version: string;
  kernel: string;
  arch: string;
  line: string;
  passes: number;
  fails: number;
  lastVerdict: Verdict;
  lastAt: Date;
}

export interface Detection {
  incidents: DetectedIncident[];
  flaky: FlakyCell[];
}

const DAY_MS = 86_400_000;

/**
 * A pass → fail step of one version along its line's kernels (walkKernels' "regression"): what
 * seeds an incident. The ingest keeps each on its failing cell (Cell.lastGoodKernelId), so the
 * steps of a grid are read by index instead of walking every cell (issue 14).
 */
export interface RegressionStep {
  version: string;
  lastGood: string;
  firstBad: string;
  /** the failing cell, at firstBad */
  cell: CellSummary;
}

/** The pass → fail steps of a grid's versions, from its cells (the in-memory source of incidentsInGrid). */
export function regressionSteps(grid: LineGrid<CellSummary>): RegressionStep[] {
  return grid.versions.flatMap((version) =>
    walkKernels(grid, version).flatMap((s) =>
      s.transition === "regression" ? [{ version, lastGood: s.previousKernel!, firstBad: s.kernel, cell: grid.cells.get(version)!.get(s.kernel)! }] : [],
    ),
  );
}

/**
 * What detection asks about a grid beyond its regression steps. Both find cells with a verdict
 * (pass or fail; flaky cells have none, gridVerdict) and answer version → cell, for the versions
 * that have one:
 * - `first`: each version's first such cell (of `verdict` when given) after `after` in kernel order
 *   (at it too when `inclusive`), before `before` when given;
 * - `at`: each version's cell on `kernel`, when it has a verdict.
 * The answers come from the cells in memory (answerFromGrid) or from indexed lookups (the ingest,
 * lib/services/regressions/detect-grid-incidents.ts); a test proves both give the same incidents.
 */
export type GridQuestion =
  | { kind: "first"; versions: readonly string[]; after: string; inclusive: boolean; before: string | null; verdict: Verdict | null }
  | { kind: "at"; versions: readonly string[]; kernel: string };
export type GridAnswer = ReadonlyMap<string, CellSummary>;

/** What incidentsInGrid is given about a grid; everything else it asks (GridQuestion). */
export interface GridSource {
  arch: string;
  line: string;
  /** version order; every version that may have a cell in the grid (more do no harm) */
  versions: readonly string[];
  steps: readonly RegressionStep[];
  /** the line's kernel order, for the kernels of the steps and of the answers */
  compareKernels: (a: string, b: string) => number;
  kernelReleasedAt: (kernel: string) => Date | null;
  releasedAt: ReadonlyMap<string, Date | null>;
}

interface Seed {
  version: string;
  k0: string;
  k1: string;
  cell: CellSummary;
}

/** Seeds whose (last good, first bad] windows overlap are one breakage seen by several versions. */
function groupSeeds(seeds: readonly Seed[], cmp: (a: string, b: string) => number): { k0: string; k1: string; seeds: Seed[] }[] {
  const groups: { k0: string; k1: string; seeds: Seed[] }[] = [];
  for (const s of [...seeds].sort((a, b) => cmp(a.k1, b.k1) || cmp(a.k0, b.k0))) {
    // Joining narrows the group's window to the intersection, so last good < first bad always holds.
    const g = groups.find((x) => cmp(s.k0, x.k1) < 0 && cmp(x.k0, s.k1) < 0);
    if (g) {
      if (cmp(s.k0, g.k0) > 0) g.k0 = s.k0;
      if (cmp(s.k1, g.k1) < 0) g.k1 = s.k1;
      g.seeds.push(s);
    } else {
      groups.push({ k0: s.k0, k1: s.k1, seeds: [s] });
    }
  }
  return groups.sort((a, b) => cmp(a.k1, b.k1));
}

const ref = (o: Observation): ResultRef => ({ resultId: o.resultId, runId: o.runId, at: o.at });
const later = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);

function* ask(q: GridQuestion): Generator<GridQuestion, GridAnswer, GridAnswer> {
  return yield q;
}

/**
 * The incidents of one arch × line grid: the rule, once. A generator that yields its questions
 * (GridQuestion) and takes their answers, so the same code runs over cells in memory
 * (detectIncidents, the rebuild) and over indexed lookups in the ingest transaction, which then
 * reads a handful of cells per incident instead of the whole grid.
 */
export function* incidentsInGrid(src: GridSource): Generator<GridQuestion, DetectedIncident[], GridAnswer> {
  const incidents: DetectedIncident[] = [];
  for (const one of incidentsOfGroups(src)) incidents.push(yield* one);
  return incidents;
}

/**
 * incidentsInGrid as one generator per breakage (a group of overlapping regression steps), in
 * incidentsInGrid's order. A breakage's questions depend only on its own answers and on the
 * grid's steps, so the ingest asks the pending question of every breakage of every grid in one
 * statement per round (lib/services/regressions/detect-grid-incidents.ts): a round trip per
 * question of the longest breakage instead of one per question of all of them.
 */
export function incidentsOfGroups(src: GridSource): Generator<GridQuestion, DetectedIncident, GridAnswer>[] {
  return breakagesOfGrid(src).map((b) => b.run);
}

/** One breakage of a grid (incidentsOfGroups): its window, its incident's key, and its questions. */
export interface Breakage {
  /** the incident's key, `arch|line|firstBad` */
  key: string;
  lastGood: string;
  firstBad: string;
  run: Generator<GridQuestion, DetectedIncident, GridAnswer>;
}

/** incidentsOfGroups with each breakage's window and key, known before any question is asked. */
export function breakagesOfGrid(src: GridSource): Breakage[] {
  const cmp = src.compareKernels;
  const versionIndex = new Map(src.versions.map((v, i) => [v, i]));
  const seeds: Seed[] = [...src.steps]
    .sort((a, b) => versionIndex.get(a.version)! - versionIndex.get(b.version)! || cmp(a.firstBad, b.firstBad))
    .map((s) => ({ version: s.version, k0: s.lastGood, k1: s.firstBad, cell: s.cell }));
  const groups = groupSeeds(seeds, cmp);
  // A failure first seen at or after the next breakage of the line cannot be told apart from it.
  return groups.map((group, gi) => ({
    key: `${src.arch}|${src.line}|${group.k1}`,
    lastGood: group.k0,
    firstBad: group.k1,
    run: incidentOfGroup(src, group, groups[gi + 1]?.k1 ?? null),
  }));
}

/**
 * Whether a breakage's stored incident still holds after a batch changed some cells of its grid,
 * so that detection need not ask its questions again (the ingest, issue 14: a grid's history of
 * breakages is not walked again for every batch at its newest kernels). Kernels are given by sort
 * key. `touched`: the smallest key of a changed cell of the grid. `stepsFrom`: a key at or before
 * the last good kernel of every pass → fail step the batch can have made, changed or removed: for
 * each version with a changed cell, its last pass before its first changed cell (or that cell, if
 * none). It holds when
 * - the incident stored under the breakage's key has the same last good kernel and was undone on
 *   the kernel side (fixedInKernel) before `touched`: every question of the breakage is answered
 *   from cells between its last good kernel and that kernel (the first-pass searches stop at it,
 *   the probes end before it), and none of those changed;
 * - its first bad kernel is at or before `stepsFrom`: a step from there on cannot overlap its
 *   window, so no step joins or leaves it (steps are grouped in first-bad order, and every step
 *   the batch changed has its first bad kernel at or after `touched`), and the next breakage, which
 *   bounds its probes, is unchanged or comes after its fix.
 * Version or kernel dates that change make the ingest detect the whole module (record-results.ts),
 * so they are not inputs here. tests/integration/ingest-scale-paths.test.ts checks the result
 * against a rebuild after every batch.
 */
export function breakageUnchanged(
  breakage: { lastGoodKey: string; firstBadKey: string },
  stored: { lastGoodKey: string; fixedInKernelKey: string | null } | undefined,
  batch: { touched: string; stepsFrom: string },
): boolean {
  return (
    stored !== undefined &&
    stored.lastGoodKey === breakage.lastGoodKey &&
    stored.fixedInKernelKey !== null &&
    stored.fixedInKernelKey < batch.touched &&
    breakage.firstBadKey <= batch.stepsFrom
  );
}

/** The incident of one breakage of a grid (incidentsOfGroups). */
function* incidentOfGroup(src: GridSource, group: { k0: string; k1: string; seeds: Seed[] }, nextBreak: string | null): Generator<GridQuestion, DetectedIncident, GridAnswer> {
  const cmp = src.compareKernels;
  const { k0: K0, k1: K1 } = group;
  const seedVersions = [...new Set(group.seeds.map((s) => s.version))];
  const isSeed = new Set(seedVersions);

  // The kernel side undid the change on the first later kernel on which every broken version
  // with a verdict passes: only a kernel where one of them passes can be it.
  let kr: string | null = null;
  let krCells: CellSummary[] = [];
  for (let after = K1; kr === null; ) {
    const passes = yield* ask({ kind: "first", versions: seedVersions, after, inclusive: false, before: null, verdict: "pass" });
    if (passes.size === 0) break;
    const candidate = [...passes.values()].map((c) => c.kernel).reduce((a, b) => (cmp(a, b) <= 0 ? a : b));
    const there = [...(yield* ask({ kind: "at", versions: seedVersions, kernel: candidate })).values()];
    if (there.every((c) => c.state === "pass")) {
      kr = candidate;
      krCells = there;
    } else after = candidate;
  }

  const seedCells = group.seeds.map((s) => s.cell).sort((a, b) => byTime(a.firstFail!, b.firstFail!));
  const seedSymbols = new Set(seedCells.flatMap((c) => extractSignature(c.firstFail?.errorLine)?.symbol ?? []));

  // Each version's first verdict from the first bad kernel on, before the kernel side's undoing.
  const probes = yield* ask({ kind: "first", versions: src.versions, after: K1, inclusive: true, before: kr, verdict: null });
  const candidates = src.versions.filter((v) => {
    const c = probes.get(v);
    return c && c.state === "fail" && !isSeed.has(v) && (nextBreak === null || cmp(c.kernel, nextBreak) < 0);
  });
  const atK0 = candidates.length > 0 ? yield* ask({ kind: "at", versions: candidates, kernel: K0 }) : new Map<string, CellSummary>();

  const affected: { version: string; cell: CellSummary }[] = [];
  let fixed: { version: string; cell: CellSummary } | null = null;
  let snapshot: { version: string; at: Date } | null = null;
  for (const v of src.versions) {
    const c = probes.get(v);
    if (!c) continue;
    if (c.state === "fail") {
      if (isSeed.has(v)) {
        affected.push({ version: v, cell: c });
        continue;
      }
      if ((nextBreak !== null && cmp(c.kernel, nextBreak) >= 0) || atK0.get(v)?.state === "fail") continue;
      const symbol = extractSignature(c.firstFail?.errorLine)?.symbol;
      if (seedSymbols.size > 0 && symbol && !seedSymbols.has(symbol)) continue;
      affected.push({ version: v, cell: c });
    } else if (affected.length > 0) {
      if (isDevelopmentSnapshot(v)) snapshot ??= { version: v, at: c.firstPass!.at };
      else {
        fixed = { version: v, cell: c };
        break;
      }
    }
  }

  const representative = seedCells[0];
  const opened = affected.map((a) => a.cell.firstFail!).sort(byTime)[0];
  // The break sits at the release of its first bad kernel (lib/domain/event-date.ts).
  const openedEvent = eventDate(src.kernelReleasedAt(K1), opened.at);
  const openedAt = openedEvent.at;

  let fix: { at: Date; basis: FixBasis; by: ResultRef } | null = null;
  if (fixed) {
    const rel = src.releasedAt.get(fixed.version) ?? null;
    const by = ref(fixed.cell.firstPass!);
    fix = rel ? { at: later(rel, openedAt), basis: "release-date", by } : { at: later(by.at, openedAt), basis: "first-pass-observed", by };
  }
  if (kr !== null) {
    const passes = krCells.map((c) => c.firstPass!).sort(byTime);
    const undone = eventDate(src.kernelReleasedAt(kr), passes[0].at);
    const at = later(undone.at, openedAt);
    if (!fix || at.getTime() < fix.at.getTime()) fix = { at, basis: undone.basis === "release" ? "kernel-release" : "kernel", by: ref(passes[0]) };
  }

  return {
    key: `${src.arch}|${src.line}|${K1}`,
    arch: src.arch,
    line: src.line,
    lastGoodKernel: K0,
    firstBadKernel: K1,
    series: parseKernelVersion(K1).series,
    affectedVersions: affected.map((a) => a.version),
    errorLine: representative.firstFail!.errorLine,
    signature: extractSignature(representative.firstFail!.errorLine),
    openedAt,
    openedAtBasis: openedEvent.basis,
    openedSeenAt: opened.at,
    openedBy: ref(opened),
    status: fix ? "fixed" : "open",
    fixedIn: fixed?.version ?? null,
    fixedInKernel: kr,
    fixedAt: fix?.at ?? null,
    fixedAtBasis: fix?.basis ?? null,
    fixedSeenAt: fix?.by.at ?? null,
    fixedBy: fix?.by ?? null,
    fixedOnSnapshot: snapshot,
    timeToFixDays: fix
      ? daysToFix({ at: openedAt, basis: openedEvent.basis, runId: opened.runId }, { at: fix.at, basis: FIX_BASIS_DATE[fix.basis], runId: fix.by.runId })
      : null,
  };
}

/** GridQuestion answered from a grid's cells in memory. */
export function answerFromGrid(grid: LineGrid<CellSummary>): (q: GridQuestion) => GridAnswer {
  const index = new Map(grid.kernels.map((k, i) => [k, i]));
  return (q) => {
    const out = new Map<string, CellSummary>();
    for (const v of q.versions) {
      const row = grid.cells.get(v);
      if (!row) continue;
      if (q.kind === "at") {
        const c = row.get(q.kernel);
        if (c && gridVerdict(grid, v, q.kernel)) out.set(v, c);
        continue;
      }
      const end = q.before === null ? grid.kernels.length : index.get(q.before)!;
      for (let ki = index.get(q.after)! + (q.inclusive ? 0 : 1); ki < end; ki++) {
        const verdict = gridVerdict(grid, v, grid.kernels[ki]);
        if (verdict && (q.verdict === null || verdict === q.verdict)) {
          out.set(v, row.get(grid.kernels[ki])!);
          break;
        }
      }
    }
    return out;
  };
}

/** Run a generator of GridQuestions to its end, answering each synchronously. */
export function answerAll<T>(steps: Generator<GridQuestion, T, GridAnswer>, answer: (q: GridQuestion) => GridAnswer): T {
  for (let next = steps.next(); ; ) {
    if (next.done) return next.value;
    next = steps.next(answer(next.value));
  }
}

function detectInGrid(grid: LineGrid<CellSummary>, releasedAt: ReadonlyMap<string, Date | null>, kernelReleasedAt: ReadonlyMap<string, Date | null>): DetectedIncident[] {
  const index = new Map(grid.kernels.map((k, i) => [k, i]));
  return answerAll(
    incidentsInGrid({
      arch: grid.arch,
      line: grid.line,
      versions: grid.versions,
      steps: regressionSteps(grid),
      compareKernels: (a, b) => index.get(a)! - index.get(b)!,
      kernelReleasedAt: (k) => kernelReleasedAt.get(k) ?? null,
      releasedAt,
    }),
    answerFromGrid(grid),
  );
}

/**
 * Every incident of one module: per arch and kernel line, each pass → fail step along the kernels
 * seeds an incident; seeds of several versions whose windows overlap are the same breakage.
 * Affected are the versions that fail from the first bad kernel on (and did not already fail on the
 * last good one); the fix is the first newer release that passes there.
 */
export function detectIncidents(input: { results: readonly ResultInput[]; versions?: readonly VersionInput[]; kernels?: readonly KernelDateInput[] }): Detection {
  const grids = buildLineGrids(input.results);
  const incidents = incidentsOfGrids(grids, input);
  const flaky: FlakyCell[] = grids.flatMap((g) =>
    [...g.cells.values()].flatMap((row) =>
      [...row.values()]
        .filter((c) => c.state === "flaky")
        .map((c) => {
          const last = c.observations[c.observations.length - 1];
          return {
            version: c.version,
            kernel: c.kernel,
            arch: c.arch,
            line: g.line,
            passes: c.observations.filter((o) => o.verdict === "pass").length,
            fails: c.observations.filter((o) => o.verdict === "fail").length,
            lastVerdict: last.verdict,
            lastAt: last.at,
          };
        }),
    ),
  );
  return { incidents, flaky };
}

/**
 * The incidents detectIncidents finds, from cell summaries instead of results (what the ingest
 * keeps per cell): the same grids, the same rule. detectIncidents(results).incidents equals
 * detectIncidentsInCells of the observeCell summaries of those results (tested).
 */
export function detectIncidentsInCells(input: { cells: readonly CellSummary[]; versions?: readonly VersionInput[]; kernels?: readonly KernelDateInput[] }): DetectedIncident[] {
  return incidentsOfGrids(gridsOfCells(input.cells), input);
}

function incidentsOfGrids(grids: readonly LineGrid<CellSummary>[], input: { versions?: readonly VersionInput[]; kernels?: readonly KernelDateInput[] }): DetectedIncident[] {
  const releasedAt = new Map((input.versions ?? []).map((v) => [v.version, v.releasedAt]));
  const kernelReleasedAt = new Map((input.kernels ?? []).map((k) => [k.version, k.releasedAt]));
  return grids
    .flatMap((g) => detectInGrid(g, releasedAt, kernelReleasedAt))
    .sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime() || cmpText(a.key, b.key));
}

/** Age of an open incident, or its time to fix; null when unknown. */
export function incidentDays(i: Pick<DetectedIncident, "status" | "openedAt" | "timeToFixDays">, now: Date): number | null {
  return i.status === "open" ? Math.max(0, (now.getTime() - i.openedAt.getTime()) / DAY_MS) : i.timeToFixDays;
}

export interface NeighbourRow {
  version: string;
  role: "affected" | "fix";
  cells: { kernel: string; state: CellState | null; transition: Transition | null }[];
}

/**
 * Evidence around an incident: the kernels of its line just before the last good and after the first
 * bad kernel, with the state of the affected versions and of the fixing one.
 */
export function incidentNeighbourhood(
  grid: LineGrid<CellSummary>,
  incident: Pick<DetectedIncident, "lastGoodKernel" | "firstBadKernel" | "affectedVersions" | "fixedIn" | "fixedInKernel">,
  radius = 2,
): { kernels: string[]; rows: NeighbourRow[] } {
  const i0 = grid.kernels.indexOf(incident.lastGoodKernel);
  const i1 = grid.kernels.indexOf(incident.firstBadKernel);
  if (i0 < 0 || i1 < 0) return { kernels: [], rows: [] };
  const picked = new Set(grid.kernels.slice(Math.max(0, i0 - radius), i1 + radius + 1));
  if (incident.fixedInKernel) picked.add(incident.fixedInKernel);
  const kernels = grid.kernels.filter((k) => picked.has(k));
  const versions = [...incident.affectedVersions, ...(incident.fixedIn ? [incident.fixedIn] : [])];
  const rows = versions.map((version): NeighbourRow => {
    const steps = new Map(walkKernels(grid, version).map((s) => [s.kernel, s.transition]));
    return {
      version,
      role: version === incident.fixedIn ? "fix" : "affected",
      cells: kernels.map((kernel) => ({
        kernel,
        state: grid.cells.get(version)?.get(kernel)?.state ?? null,
        transition: steps.get(kernel) ?? null,
      })),
    };
  });
  return { kernels, rows };
}

/** The observations of one cell at which its verdict changed (the first one counts as a change). */
export function verdictChanges(cell: Pick<CellHistory, "observations">): (Observation & { previous: Verdict | null })[] {
  const out: (Observation & { previous: Verdict | null })[] = [];
  let previous: Verdict | null = null;
  for (const o of cell.observations) {
    if (o.verdict !== previous) out.push({ ...o, previous });
    previous = o.verdict;
  }
  return out;
}

/** A stored incident, as far as deciding what became of it needs. */
export interface StoredIncidentRef {
  id: number;
  key: string;
  arch: string;
  line: string;
  lastGoodKernel: string;
  firstBadKernel: string;
}

/**
 * Which stored incidents live on under a new key. An incident's key names its first bad kernel, so
 * when results arrive for a kernel inside its gap (after the last good, before the first bad one)
 * the same break is detected again with a narrower gap and a new key. Keeping the stored row (its
 * id, its links, its feed entry) is right when the new incident is the same break: the same arch
 * and kernel line, and gaps that overlap (new first bad after the old last good, new last good
 * before the old first bad). Each stored incident is claimed at most once, by the new incident
 * whose first bad kernel is the oldest. Returns new key → stored id.
 */
export function incidentSuccessors(
  stored: readonly StoredIncidentRef[],
  detected: readonly Pick<DetectedIncident, "key" | "arch" | "line" | "lastGoodKernel" | "firstBadKernel">[],
): Map<string, number> {
  const storedKeys = new Set(stored.map((s) => s.key));
  const detectedKeys = new Set(detected.map((d) => d.key));
  const vanished = stored.filter((s) => !detectedKeys.has(s.key));
  const fresh = detected.filter((d) => !storedKeys.has(d.key)).sort((a, b) => compareKernels(a.firstBadKernel, b.firstBadKernel) || cmpText(a.key, b.key));
  const out = new Map<string, number>();
  const claimed = new Set<number>();
  for (const d of fresh) {
    const heir = vanished.find(
      (s) =>
        !claimed.has(s.id) &&
        s.arch === d.arch &&
        s.line === d.line &&
        compareKernels(d.firstBadKernel, s.lastGoodKernel) > 0 &&
        compareKernels(d.lastGoodKernel, s.firstBadKernel) < 0,
    );
    if (heir) {
      claimed.add(heir.id);
      out.set(d.key, heir.id);
    }
  }
  return out;
}
