/**
 * The landing page's API headline: "Linux 7.3-rc7 removes 214 exported symbols; 9 modules use
 * them", for the newest upcoming (else newest) kernel with an API snapshot against the newest
 * snapshot of the previous series in its line. Pure: the caller gives the kernels and the diff's removed symbols.
 */

export interface RemovedSymbolUse {
  name: string;
  /** the target's headers still define it as a macro or inline: callers still compile */
  stillCallable: boolean;
  usedBy: readonly { module: string; version: string; via: string }[];
}

export interface ApiChangeHeadline {
  from: string;
  to: string;
  /** "Linux 7.3-rc7 removes 214 exported symbols; 9 modules use them" */
  text: string;
  removed: number;
  /** the module versions that use a removed symbol (as the compare page's "affected"), by module */
  modules: { module: string; versions: string[]; symbols: string[] }[];
}

/**
 * Which comparison heads the landing page: the newest upcoming kernel (rc, experimental) of the
 * newest series, as the early warning beside it shows; else the newest kernel. Against the newest
 * released kernel of an earlier series in the same line (7.2.13+deb14 → 7.3-rc7); failing that,
 * the kernel just before it in the same line. Null when no kernel has an earlier one.
 */
export function headlinePair(
  kernels: readonly string[],
  opts: { compare: (a: string, b: string) => number; series: (k: string) => string; line: (k: string) => string; upcoming?: (k: string) => boolean },
): { from: string; to: string } | null {
  if (kernels.length < 2) return null;
  const upcoming = opts.upcoming ?? (() => false);
  const sorted = [...kernels].sort(opts.compare);
  const newestSeries = opts.series(sorted[sorted.length - 1]);
  const to = sorted.filter((k) => upcoming(k) && opts.series(k) === newestSeries).at(-1) ?? sorted[sorted.length - 1];
  const before = sorted.filter((k) => opts.compare(k, to) < 0 && opts.line(k) === opts.line(to));
  const earlierSeries = before.filter((k) => opts.series(k) !== opts.series(to));
  const from = earlierSeries.filter((k) => !upcoming(k)).at(-1) ?? earlierSeries.at(-1) ?? before.at(-1);
  return from ? { from, to } : null;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * `linux` names the target as people say it ("7.3-rc7"; the kernel string when unknown). A symbol
 * counts as used when a footprint imports or calls it (not "emitted" by the old kernel's inlines)
 * and the new headers do not still provide it — the compare page's "affected" rule.
 */
export function apiChangeHeadline(input: { from: string; to: string; linux?: string | null; removed: number; removedSymbols: readonly RemovedSymbolUse[] }): ApiChangeHeadline {
  const byModule = new Map<string, { versions: Set<string>; symbols: Set<string> }>();
  for (const s of input.removedSymbols) {
    if (s.stillCallable) continue;
    for (const u of s.usedBy) {
      if (u.via === "emitted") continue;
      const m = byModule.get(u.module) ?? { versions: new Set<string>(), symbols: new Set<string>() };
      m.versions.add(u.version);
      m.symbols.add(s.name);
      byModule.set(u.module, m);
    }
  }
  const modules = [...byModule.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([module, m]) => ({ module, versions: [...m.versions].sort(), symbols: [...m.symbols].sort() }));
  const name = `Linux ${input.linux || input.to}`;
  const n = modules.length;
  const text =
    input.removed === 0
      ? `${name} removes no exported symbol`
      : `${name} removes ${plural(input.removed, "exported symbol", "exported symbols")}; ` +
        (n === 0 ? (input.removed === 1 ? "no module uses it" : "no module uses them") : `${plural(n, "module uses", "modules use")} ${input.removed === 1 ? "it" : "them"}`);
  return { from: input.from, to: input.to, text, removed: input.removed, modules };
}
