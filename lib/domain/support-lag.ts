import { LINUX_RELEASES, type LinuxRelease } from "../data/linux-releases";
import { declaredPosition } from "./declared-range";
import { compareSeries } from "./kernel-version";
import { compareModuleVersions } from "./module-version";
import { isDevelopmentSnapshot } from "./module-release";

/**
 * Support lag: how long after a kernel series came out did users of a module have a release that
 * works on it (and, where the module declares a kernel range, one that says it does). Release dates
 * are often unknown; then the version is still named and the lag is reported as unknown, never
 * estimated.
 */

const DAY_MS = 86_400_000;

export function seriesReleaseDate(series: string, table: readonly LinuxRelease[] = LINUX_RELEASES): Date | null {
  const row = table.find((r) => r.series === series);
  return row ? new Date(`${row.releasedOn}T00:00:00Z`) : null;
}

export interface LagVersion {
  version: string;
  releasedAt: Date | null;
  declaredKernelMin: string | null;
  declaredKernelMax: string | null;
  /** kernel series on which this version has at least one passing cell */
  passesOn: readonly string[];
}

export interface LagPick {
  version: string;
  releasedAt: Date | null;
  /** days from the kernel's release to the module release; 0 when the module was ready first */
  lagDays: number | null;
  readyBeforeKernel: boolean | null;
  /** some candidate releases have no date, so an undated one may have come first */
  uncertain: boolean;
}

export interface SupportLagRow {
  series: string;
  kernelReleasedAt: Date | null;
  firstPassing: LagPick | null;
  firstDeclaring: LagPick | null;
}

function pick(candidates: LagVersion[], kernelDate: Date | null): LagPick | null {
  if (candidates.length === 0) return null;
  const undated = candidates.some((c) => !c.releasedAt);
  // With every date known the earliest release wins; otherwise version order is the best guess.
  const chosen = undated
    ? candidates[0]
    : [...candidates].sort((a, b) => a.releasedAt!.getTime() - b.releasedAt!.getTime() || compareModuleVersions(a.version, b.version))[0];
  const diff = chosen.releasedAt && kernelDate ? (chosen.releasedAt.getTime() - kernelDate.getTime()) / DAY_MS : null;
  return {
    version: chosen.version,
    releasedAt: chosen.releasedAt,
    lagDays: diff === null ? null : Math.max(0, Math.round(diff)),
    readyBeforeKernel: diff === null ? null : diff <= 0,
    uncertain: undated && candidates.length > 1,
  };
}

export function supportLag(input: { series: readonly string[]; versions: readonly LagVersion[]; releases?: readonly LinuxRelease[] }): SupportLagRow[] {
  const releases = input.versions.filter((v) => !isDevelopmentSnapshot(v.version)).sort((a, b) => compareModuleVersions(a.version, b.version));
  return [...new Set(input.series)]
    .filter((s) => s !== "next")
    .sort(compareSeries)
    .map((series) => {
      const kernelReleasedAt = seriesReleaseDate(series, input.releases);
      return {
        series,
        kernelReleasedAt,
        firstPassing: pick(
          releases.filter((v) => v.passesOn.includes(series)),
          kernelReleasedAt,
        ),
        firstDeclaring: pick(
          releases.filter((v) => declaredPosition(series, { min: v.declaredKernelMin, max: v.declaredKernelMax }) === "inside"),
          kernelReleasedAt,
        ),
      };
    });
}

/** The mainline series released after `series`, from the release table; null when unknown. */
export function nextMainlineSeries(series: string, table: readonly LinuxRelease[] = LINUX_RELEASES): string | null {
  const i = table.findIndex((r) => r.series === series);
  return i >= 0 && i + 1 < table.length ? table[i + 1].series : null;
}
