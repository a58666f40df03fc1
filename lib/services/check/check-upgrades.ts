import { packageWhere, type PackageWhere } from "../../domain/package-source";
import type { CheckResponse } from "../../schemas/check";
import { loadVersionSources } from "../version-sources";

export interface CheckUpgrade {
  module: string;
  version: string;
  /** fixedIn: the oldest version that passes there; newestAccepting: the newest that accepts the kernel */
  kind: "fixedIn" | "newestAccepting";
  /** where to get it, from the runs' provenance; null when none was recorded */
  where: PackageWhere | null;
}

/**
 * The versions a check recommends and where to get each (the web check and the API answer say
 * the same), plus the /check page that checks again with them.
 */
export async function checkUpgrades(out: CheckResponse): Promise<{ upgrades: CheckUpgrade[]; recheck: string | null }> {
  const wanted = out.modules.flatMap((m): Omit<CheckUpgrade, "where">[] =>
    m.fixedIn ? [{ module: m.module, version: m.fixedIn.version, kind: "fixedIn" }] : m.newestAccepting ? [{ module: m.module, version: m.newestAccepting.version, kind: "newestAccepting" }] : [],
  );
  if (wanted.length === 0) return { upgrades: [], recheck: null };
  const sources = await loadVersionSources(wanted);
  const upgrades = wanted.map((w) => {
    const src = sources.get(`${w.module}@${w.version}`);
    return { ...w, where: src ? packageWhere(src) : null };
  });
  return { upgrades, recheck: recheckPath(out, Object.fromEntries(upgrades.map((u) => [u.module, u.version]))) };
}

/** The /check page of the same query with some modules at other versions. */
export function recheckPath(out: CheckResponse, versions: Record<string, string>): string {
  const p = new URLSearchParams({ kernel: out.kernel.version });
  if (out.arch) p.set("arch", out.arch);
  for (const m of out.modules) {
    const v = versions[m.module] || m.version;
    p.append("module", v ? `${m.module}@${v}` : m.module);
  }
  return `/check?${p}`;
}
