import { db } from "../db/client";
import { moduleSlugCandidates } from "../domain/module-alias";

/**
 * Each name's stored slug: the first of moduleSlugCandidates that exists, else the name itself.
 * No query at all when no name is a package name or alias (the usual check).
 */
export async function resolveModuleSlugs(names: readonly string[]): Promise<Map<string, string>> {
  const candidates = new Map(names.map((n) => [n, moduleSlugCandidates(n)]));
  const out = new Map(names.map((n) => [n, n]));
  const ambiguous = [...candidates.values()].filter((c) => c.length > 1);
  if (ambiguous.length === 0) return out;
  const rows = await db().module.findMany({ where: { slug: { in: [...new Set(ambiguous.flat())] } }, select: { slug: true } });
  const known = new Set(rows.map((r) => r.slug));
  for (const [name, c] of candidates) out.set(name, c.find((s) => known.has(s)) ?? name);
  return out;
}
