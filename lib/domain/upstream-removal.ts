import { compareKernels, isGenericFlavour, parseKernelVersion, seriesOf, tryParseKernelVersion } from "./kernel-version";

/** Whether one kernel's API snapshot has a name (an export, or a header). */
export interface SnapshotPresence {
  kernel: string;
  present: boolean;
}

/**
 * Where a name went away upstream, as far as the kernel API snapshots tell: it is in `lastWith`
 * and in no snapshot after it, starting with `firstWithout`. The upstream version of a distro
 * kernel is its Linux version (6.1.0-57-amd64 is Linux 6.1), so the change happened in a Linux
 * release after `after` up to `removedIn`; `exact` when nothing lies between the two (the same or
 * the next minor release).
 */
export interface UpstreamRemoval {
  /** "6.12": the Linux series of the first snapshot without it */
  removedIn: string;
  /** "6.1": the Linux series of the last snapshot with it */
  after: string;
  exact: boolean;
  firstWithout: string;
  lastWith: string;
  /** generic-flavour snapshots this is judged on */
  snapshots: number;
}

/**
 * Only each distro's generic flavour counts (isGenericFlavour): an rt or cloud kernel lacks
 * exports by configuration, not because upstream removed them. Null when no snapshot has the name,
 * or the newest one still does (not removed, as far as we know).
 */
export function upstreamRemoval(presence: readonly SnapshotPresence[]): UpstreamRemoval | null {
  const kernels = presence.filter((p) => tryParseKernelVersion(p.kernel).ok && isGenericFlavour(p.kernel)).sort((a, b) => compareKernels(a.kernel, b.kernel));
  let last = -1;
  kernels.forEach((p, i) => {
    if (p.present) last = i;
  });
  if (last < 0 || last === kernels.length - 1) return null;
  const lastWith = kernels[last].kernel;
  const firstWithout = kernels[last + 1].kernel;
  const a = parseKernelVersion(lastWith);
  const b = parseKernelVersion(firstWithout);
  return {
    removedIn: seriesOf(b),
    after: seriesOf(a),
    exact: a.major === b.major && b.minor - a.minor <= 1,
    firstWithout,
    lastWith,
    snapshots: kernels.length,
  };
}

/** "removed upstream in Linux 6.12 or earlier, after Linux 6.1": what the page and the API say. */
export function upstreamRemovalText(r: UpstreamRemoval): string {
  return r.exact || r.after === r.removedIn ? `removed upstream in Linux ${r.removedIn}` : `removed upstream in Linux ${r.removedIn} or earlier, after Linux ${r.after}`;
}
