import { compareKernels, compareSeries, isGenericFlavour, parseKernelVersion, sameUpstreamAndRevision } from "./kernel-version";
import { isUpcoming } from "./kernel-release";
import type { Status } from "./status";

/**
 * Is a module still kept up with the kernel? Judged on its newest version that was built here
 * (pass or fail on some kernel), against the kernel series it was built on. Upcoming kernels (rc,
 * experimental) are early warnings and take no part; `error` and `skip` say nothing about the code.
 *
 *  - current: the newest version passes on the newest series it was built on;
 *  - behind: it fails on every kernel of exactly one newer series than the last it passes on
 *    (a fix may simply not be out yet);
 *  - orphaned: it fails on every kernel of two or more newer series, or passes on no kernel built
 *    here at all (then its last good kernel is older than anything built here);
 *  - untested: no pass or fail of any version.
 */
export const SUPPORT_STATES = ["current", "behind", "orphaned", "untested"] as const;
export type SupportState = (typeof SUPPORT_STATES)[number];

export const SUPPORT_STATE_LABEL: Record<SupportState, string> = {
  current: "kept up",
  behind: "behind",
  orphaned: "orphaned",
  untested: "not built",
};

export interface SupportCell {
  kernel: string;
  series: string;
  rc: number | null;
  prerelease: boolean;
  status: Status;
}

export interface SupportVerdict {
  state: SupportState;
  /** the version judged: the newest one with a pass or fail */
  version: string | null;
  /** newest non-upcoming kernel on which that version passes */
  lastKernel: string | null;
  lastSeries: string | null;
  /** series newer than lastSeries (all of them, when it passes nowhere) on which it only fails, oldest first */
  failingSeries: string[];
  /** oldest and newest series it was built on (pass or fail), upcoming kernels left out */
  builtSeries: { oldest: string; newest: string } | null;
}

export function supportState(input: { version: string | null; cells: readonly SupportCell[] }): SupportVerdict {
  const verdicts = input.cells.filter((c) => (c.status === "pass" || c.status === "fail") && !isUpcoming(c));
  // Judged on the generic flavours (isGenericFlavour) when it was built on any: "builds on
  // 6.1.0-56-rt-amd64" is not what an amd64 user asks. Only rt/cloud results: those.
  const generic = verdicts.filter((c) => isGenericFlavour(c.kernel));
  const judged = generic.length > 0 ? generic : verdicts;
  if (input.version === null || judged.length === 0) {
    return { state: "untested", version: input.version, lastKernel: null, lastSeries: null, failingSeries: [], builtSeries: null };
  }
  const series = [...new Set(judged.map((c) => c.series))].sort(compareSeries);
  const passing = judged.filter((c) => c.status === "pass").sort((a, b) => compareKernels(a.kernel, b.kernel));
  const newest = passing.at(-1) ?? null;
  // Among flavours of that same build (6.1.0-56-amd64, -cloud-amd64, -rt-amd64), name the plain one.
  const flavourLength = (k: string) => parseKernelVersion(k).flavour?.length ?? 0;
  const last = newest
    ? (passing.filter((c) => sameUpstreamAndRevision(c.kernel, newest.kernel)).sort((a, b) => flavourLength(a.kernel) - flavourLength(b.kernel))[0] ?? newest)
    : null;
  const newer = last ? series.filter((s) => compareSeries(s, last.series) > 0) : series;
  const failingSeries = newer.filter((s) => !judged.some((c) => c.series === s && c.status === "pass"));
  const state: SupportState = !last || failingSeries.length >= 2 ? "orphaned" : failingSeries.length === 1 ? "behind" : "current";
  return {
    state,
    version: input.version,
    lastKernel: last?.kernel ?? null,
    lastSeries: last?.series ?? null,
    failingSeries,
    builtSeries: { oldest: series[0], newest: series[series.length - 1] },
  };
}

/** One honest sentence for the module list and page. */
export function supportSentence(v: SupportVerdict): string {
  const fails = v.failingSeries.join(", ");
  switch (v.state) {
    case "untested":
      return "no version was built here yet";
    case "current":
      return `${v.version} builds on ${v.lastKernel}, the newest series it was built on`;
    case "behind":
      return `${v.version} builds up to ${v.lastSeries} (${v.lastKernel}) but fails on ${fails}`;
    case "orphaned":
      return v.lastKernel
        ? `${v.version} builds up to ${v.lastSeries} (${v.lastKernel}) and fails on every newer series built here: ${fails}`
        : `${v.version} fails on every kernel built here (${v.builtSeries!.oldest} to ${v.builtSeries!.newest}): the last kernel it built on is older than anything built here`;
  }
}
