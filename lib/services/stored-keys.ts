import { kernelLine, kernelSortKey, parseKernelVersion, seriesSortKey } from "../domain/kernel-version";
import { moduleVersionSortKey } from "../domain/module-version";

/**
 * The columns stored with a kernel or module version that today's rules derive from its string:
 * written by the ingest (record-results.ts) and rewritten by `modcompat db reindex` (reindex.ts),
 * through this one function each, so both always write the same thing.
 */
export function kernelColumns(version: string) {
  const k = parseKernelVersion(version);
  return {
    sortKey: kernelSortKey(k),
    line: kernelLine(k),
    base: k.base,
    series: k.series,
    seriesKey: seriesSortKey(k.series),
    major: k.major,
    minor: k.minor,
    patch: k.patch,
    rc: k.rc,
    distro: k.distro,
    distroRelease: k.distroRelease,
    flavour: k.flavour,
  };
}
export type KernelColumns = ReturnType<typeof kernelColumns>;

export function moduleVersionColumns(version: string) {
  return { sortKey: moduleVersionSortKey(version) };
}
