import { pgRead } from "../../db/client";

export interface CheckOptions {
  /** known module versions as name@version, modules by slug, versions newest first */
  moduleVersions: string[];
  /** known kernels, newest first */
  kernels: string[];
}

/**
 * What the form suggests, bounded: the page renders every suggestion (an `<option>` each, twice for
 * the kernels: HTML and the client component's props), so thousands of them made /check the page
 * that grew with the database (66 KB on the demo, 224 KB once a load run had added 1,800 kernels;
 * issue 11). Any kernel or version can still be typed.
 */
export const MAX_KERNEL_OPTIONS = 300;
export const MAX_VERSIONS_PER_MODULE = 10;
export const MAX_VERSION_OPTIONS = 1000;

/** Choices offered by the /check form: the newest kernels, and each module's newest versions. */
export async function listCheckOptions(): Promise<CheckOptions> {
  const [versions, kernels] = await Promise.all([
    pgRead<{ ref: string }>(
      `SELECT ref FROM (
         SELECT m.slug || '@' || mv.version AS ref, m.slug, mv."sortKey",
                row_number() OVER (PARTITION BY mv."moduleId" ORDER BY mv."sortKey" DESC) AS n
         FROM "ModuleVersion" mv JOIN "Module" m ON m.id = mv."moduleId") v
       WHERE n <= $1 ORDER BY slug, "sortKey" DESC LIMIT $2`,
      [MAX_VERSIONS_PER_MODULE, MAX_VERSION_OPTIONS],
    ),
    pgRead<{ version: string }>(`SELECT version FROM "Kernel" ORDER BY "sortKey" DESC LIMIT $1`, [MAX_KERNEL_OPTIONS]),
  ]);
  return { moduleVersions: versions.map((v) => v.ref), kernels: kernels.map((k) => k.version) };
}
