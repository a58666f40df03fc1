import { db } from "../db/client";
import type { PackageSource } from "../domain/package-source";

/** At most this many module versions are looked up per call (a check names at most a few dozen). */
const MAX_PAIRS = 200;

/**
 * The distro package each module version was built from, from the provenance the runner writes
 * into run.meta.modules[] (debianPackage, debianVersion, debianOrigin). The newest run that names
 * it wins. Keys "module@version"; versions without provenance are absent.
 */
export async function loadVersionSources(pairs: readonly { module: string; version: string }[]): Promise<Map<string, PackageSource>> {
  const wanted = [...new Set(pairs.map((p) => `${p.module}@${p.version}`))].slice(0, MAX_PAIRS);
  if (wanted.length === 0) return new Map();
  const modules = [...new Set(pairs.map((p) => p.module))];
  const rows = await db().$queryRaw<{ key: string; package: string; packageVersion: string | null; origin: string | null }[]>`
    SELECT DISTINCT ON (key) key, package, "packageVersion", origin FROM (
      SELECT (m->>'module') || '@' || (m->>'version') AS key, m->>'debianPackage' AS package,
             m->>'debianVersion' AS "packageVersion", m->>'debianOrigin' AS origin, r.id
      FROM "Run" r
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(r.meta->'modules') = 'array' THEN r.meta->'modules' ELSE '[]'::jsonb END) m
      WHERE m->>'module' = ANY(${modules}) AND m->>'debianPackage' IS NOT NULL
    ) x
    WHERE key = ANY(${wanted})
    ORDER BY key, id DESC`;
  return new Map(rows.map((r) => [r.key, { package: r.package, packageVersion: r.packageVersion, origin: r.origin }]));
}
