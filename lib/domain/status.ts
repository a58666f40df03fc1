/**
 * The result vocabulary, declared once. Everything else (zod schemas, folding, colours, verdicts)
 * derives from these tuples, so adding a value breaks the build where it must be handled.
 */
export const STAGES = ["build", "install", "load", "test"] as const;
export type Stage = (typeof STAGES)[number];

export const STATUSES = ["pass", "fail", "error", "skip"] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_MEANING: Record<Status, string> = {
  pass: "built / loaded / tested successfully",
  fail: "the module's own code broke on this kernel (compile, link, load or test failure)",
  error: "the environment broke (missing headers or tools, timeout, crashed harness); not a verdict",
  skip: "the module itself declines this kernel (BUILD_EXCLUSIVE rule or a configure check)",
};

/** Short text shown next to the colour, so status is never conveyed by colour alone. */
export const STATUS_SYMBOL: Record<Status, string> = { pass: "✓", fail: "✗", error: "!", skip: "–" };

/**
 * Severity used when stages are folded into one cell: the worst meaningful status wins.
 * `error` says nothing about the module, so it only shows when nothing else is known.
 */
const FOLD_RANK: Record<Status, number> = { error: 0, pass: 1, skip: 2, fail: 3 };

export function isMeaningful(status: Status): boolean {
  return status !== "error";
}

export function worstStatus(statuses: readonly Status[]): Status | null {
  let worst: Status | null = null;
  for (const s of statuses) if (worst === null || FOLD_RANK[s] > FOLD_RANK[worst]) worst = s;
  return worst;
}

export interface FoldInput {
  id: number;
  stage: Stage;
  status: Status;
  finishedAt: Date;
  errorLine: string | null;
  logUrl: string | null;
}

export interface FoldedCell {
  status: Status;
  stages: Partial<Record<Stage, Status>>;
  passCount: number;
  failCount: number;
  errorCount: number;
  skipCount: number;
  lastResultId: number;
  lastResultAt: Date;
  errorLine: string | null;
  logUrl: string | null;
}

/** Newest first; the id breaks ties so the fold is deterministic for results of the same instant. */
function newestFirst(a: FoldInput, b: FoldInput): number {
  return b.finishedAt.getTime() - a.finishedAt.getTime() || b.id - a.id;
}

/**
 * Fold every raw result of one module version × kernel × arch into its current state.
 * Per stage the newest meaningful result counts (a later `error` does not erase a known pass or
 * fail); stages are then folded worst-first. Returns null for an empty input.
 */
export function foldCell(results: readonly FoldInput[]): FoldedCell | null {
  if (results.length === 0) return null;
  const sorted = [...results].sort(newestFirst);
  const counts: Record<Status, number> = { pass: 0, fail: 0, error: 0, skip: 0 };
  for (const r of sorted) counts[r.status] += 1;

  const current = new Map<Stage, FoldInput>();
  for (const r of sorted) {
    const held = current.get(r.stage);
    if (!held || (!isMeaningful(held.status) && isMeaningful(r.status))) current.set(r.stage, r);
  }
  const stages: Partial<Record<Stage, Status>> = {};
  for (const stage of STAGES) {
    const r = current.get(stage);
    if (r) stages[stage] = r.status;
  }
  const status = worstStatus([...current.values()].map((r) => r.status)) ?? "error";
  // The error line and log shown for a cell come from the result that decided its status.
  const decisive = STAGES.map((s) => current.get(s)).find((r) => r?.status === status) ?? sorted[0];
  return {
    status,
    stages,
    passCount: counts.pass,
    failCount: counts.fail,
    errorCount: counts.error,
    skipCount: counts.skip,
    lastResultId: sorted[0].id,
    lastResultAt: sorted[0].finishedAt,
    errorLine: status === "pass" ? null : decisive.errorLine,
    logUrl: decisive.logUrl,
  };
}
