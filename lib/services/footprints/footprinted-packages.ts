import { readIngestFile } from "../load-demo";

/**
 * The Debian packages (`pkg=version`) of every module version that has a footprint in these ingest
 * files, as their runs' meta names them (`modcompat build` writes meta.modules[] with
 * debianPackage/debianVersion). Module versions without such provenance are left out.
 */
export function footprintedPackages(files: readonly string[]): string[] {
  const out = new Set<string>();
  for (const file of files) {
    for (const body of readIngestFile(file)) {
      const withFootprint = new Set(body.results.filter((r) => r.footprint).map((r) => `${r.module}\0${r.moduleVersion}`));
      const meta = body.run.meta as { modules?: { module?: string; version?: string; debianPackage?: string; debianVersion?: string }[] } | undefined;
      for (const m of meta?.modules ?? []) {
        if (m.module && m.version && m.debianPackage && m.debianVersion && withFootprint.has(`${m.module}\0${m.version}`)) out.add(`${m.debianPackage}=${m.debianVersion}`);
      }
    }
  }
  return [...out].sort();
}
