import { compareKernels, compareSeries, isGenericFlavour } from "./kernel-version";
import { isUpcoming } from "./kernel-release";
import { foldArches, summariseGroup } from "./matrix";
import type { Status } from "./status";

/**
 * What the module list says about a module: the state of its **newest version** (the newest one
 * with any result) on the **newest kernel of each series** it was built on. Generic flavours only
 * (isGenericFlavour: an rt or cloud kernel is not what most users run) and no upcoming (rc,
 * experimental) kernels, which are early warnings. Counting every failing cell of every version
 * made a module whose newest version builds everywhere read red, and a module with nothing but
 * environment errors read like a healthy "0 failing".
 *
 * The headline folds the per-series states with the series-summary rule (summariseGroup):
 * pass and fail decide (both → mixed); when neither is known it is `no-verdict`.
 */
export const MODULE_STATES = ["pass", "fail", "mixed", "no-verdict"] as const;
export type ModuleState = (typeof MODULE_STATES)[number];

export const MODULE_STATE_LABEL: Record<ModuleState, string> = {
  pass: "builds",
  fail: "fails",
  mixed: "builds on some series",
  "no-verdict": "no verdict",
};

export interface ModuleStateCell {
  kernel: string;
  series: string;
  rc: number | null;
  prerelease: boolean;
  status: Status;
}

export interface SeriesState {
  series: string;
  /** the newest kernel of the series on which the version has a result */
  kernel: string;
  status: Status;
}

export interface ModuleListState {
  state: ModuleState;
  version: string | null;
  /** oldest series first */
  series: SeriesState[];
}

export function moduleListState(input: { version: string | null; cells: readonly ModuleStateCell[] }): ModuleListState {
  // One state per kernel: its arches fold like the matrix cell (foldArches).
  const byKernel = new Map<string, ModuleStateCell[]>();
  for (const c of input.cells) if (!isUpcoming(c) && isGenericFlavour(c.kernel)) byKernel.set(c.kernel, [...(byKernel.get(c.kernel) ?? []), c]);
  const cells = [...byKernel.values()].map((group) => ({ ...group[0], status: foldArches(group.map((c) => c.status))! }));
  const newestBySeries = new Map<string, ModuleStateCell>();
  for (const c of cells) {
    const held = newestBySeries.get(c.series);
    if (!held || compareKernels(c.kernel, held.kernel) > 0) newestBySeries.set(c.series, c);
  }
  const series = [...newestBySeries.values()]
    .sort((a, b) => compareSeries(a.series, b.series))
    .map((c) => ({ series: c.series, kernel: c.kernel, status: c.status }));
  const headline = summariseGroup(series.map((s) => s.status)).headline;
  const state: ModuleState = headline === "pass" || headline === "fail" || headline === "mixed" ? headline : "no-verdict";
  return { state, version: input.version, series };
}
