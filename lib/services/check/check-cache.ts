import type { KernelVersion } from "../../domain/kernel-version";
import type { KernelCell, VersionVerdict } from "../../domain/verdict";

/**
 * What the check keeps between requests, while the data stays the same: hooks on many machines ask
 * about the same few module versions and target kernels, and a verdict only changes when results
 * arrive. Everything here is valid for one data stamp, the highest Result id: results are only
 * ever added, so any ingest moves the stamp and the first check to see it empties the cache. The
 * database confirms the stamp in the same statement that would otherwise read the cells
 * (load-check-facts.ts), so a kept answer is never older than the data of that statement.
 * Entries also expire after a minute, which bounds staleness after the rare deletion. Bounded in
 * size, least recently used first out.
 */

const TTL_MS = 60_000;
const MAX_CELLS = 400_000;
const MAX_VERDICTS = 50_000;
/** Whole answers are a few KB each: 10,000 of them stay well under 100 MB. */
const MAX_ANSWERS = 10_000;

interface Entry<T> {
  at: number;
  value: T;
}

function fresh() {
  return {
    stamp: null as string | null,
    /** the results generation (results-listener.ts) at which the stamp was last read from the database */
    confirmedAt: null as number | null,
    cellCount: 0,
    /** `${versionId}|${arch}` → every cell of the version (bare states, full on some series) */
    cells: new Map<string, Entry<KernelCell[]>>(),
    /** `${versionId}|${arch}` → the kernels on which the version passes */
    passing: new Map<string, Entry<KernelVersion[]>>(),
    /** `${versionId}|${arch}|${target}` → the verdict, alternatives included */
    verdicts: new Map<string, Entry<VersionVerdict>>(),
    /** module slug → its versions, as of the stamp */
    moduleVersions: new Map<string, { id: number; version: string }[]>(),
    /** kernel string → the Linux version reported for it (null: none); kernel metadata only arrives with results, so the stamp covers it */
    upstream: new Map<string, Entry<string | null>>(),
    /** request key (check-answer.ts) → the whole answer, serialised */
    answers: new Map<string, Entry<string>>(),
  };
}

/**
 * One cache per process (globalThis), not per bundled copy of this file: Next bundles route
 * handlers apart, and a copy per bundle would keep the same answers several times over.
 */
const g = globalThis as unknown as { __modcompatCheckCache?: ReturnType<typeof fresh> };
const state = (g.__modcompatCheckCache ??= fresh());

const key = (versionId: number, arch: string | null, target?: string) => `${versionId}|${arch ?? "*"}${target === undefined ? "" : `|${target}`}`;

function get<T>(map: Map<string, Entry<T>>, k: string): T | undefined {
  const e = map.get(k);
  if (!e) return undefined;
  if (Date.now() - e.at >= TTL_MS) {
    map.delete(k);
    return undefined;
  }
  map.delete(k);
  map.set(k, e);
  return e.value;
}

function put<T>(map: Map<string, Entry<T>>, k: string, value: T, max: number): void {
  map.delete(k);
  map.set(k, { at: Date.now(), value });
  for (const oldest of map.keys()) {
    if (map.size <= max) break;
    map.delete(oldest);
  }
}

export function cacheStamp(): string | null {
  return state.stamp;
}

/** The stamp, if it was read from the database at this results generation (nothing changed since). */
export function stampAtGeneration(generation: number | null): string | null | undefined {
  return generation !== null && generation === state.confirmedAt ? state.stamp : undefined;
}

/** The stamp read from the database, and the results generation read just before reading it. */
export function confirmStamp(stamp: string | null, generation: number | null): void {
  syncStamp(stamp);
  state.confirmedAt = generation;
}

/** Called with the stamp each statement read; a new stamp empties the cache. */
export function syncStamp(stamp: string | null): void {
  if (stamp === state.stamp) return;
  forgetCheckCache();
  state.stamp = stamp;
}

/** Forget everything, as a fresh process would (benchmarks of the cold path use it). */
export function forgetCheckCache(): void {
  state.stamp = null;
  state.confirmedAt = null;
  state.cellCount = 0;
  state.cells.clear();
  state.passing.clear();
  state.verdicts.clear();
  state.moduleVersions.clear();
  state.upstream.clear();
  state.answers.clear();
}

export function keptUpstream(kernel: string): string | null | undefined {
  return get(state.upstream, kernel);
}

export function rememberUpstream(stamp: string | null, kernel: string, upstream: string | null): void {
  if (stamp !== null && stamp === state.stamp) put(state.upstream, kernel, upstream, MAX_VERDICTS);
}

export function keptModuleVersions(slug: string): { id: number; version: string }[] {
  return state.moduleVersions.get(slug) ?? [];
}

// Every remember* takes the stamp its data was read at: a concurrent check may have moved the
// cache to a newer stamp meanwhile, and older data must not land there.

export function rememberModuleVersions(stamp: string | null, slug: string, versions: { id: number; version: string }[]): void {
  if (stamp !== null && stamp === state.stamp) state.moduleVersions.set(slug, versions);
}

export function keptCells(versionId: number, arch: string | null): KernelCell[] | undefined {
  return get(state.cells, key(versionId, arch));
}

export function rememberCells(stamp: string | null, versionId: number, arch: string | null, cells: KernelCell[]): void {
  if (stamp === null || stamp !== state.stamp) return;
  const k = key(versionId, arch);
  state.cellCount -= state.cells.get(k)?.value.length ?? 0;
  state.cells.delete(k);
  state.cells.set(k, { at: Date.now(), value: cells });
  state.cellCount += cells.length;
  for (const [oldest, e] of state.cells) {
    if (state.cellCount <= MAX_CELLS) break;
    state.cells.delete(oldest);
    state.cellCount -= e.value.length;
  }
}

export function keptPassing(versionId: number, arch: string | null): KernelVersion[] | undefined {
  return get(state.passing, key(versionId, arch));
}

export function rememberPassing(stamp: string | null, versionId: number, arch: string | null, kernels: KernelVersion[]): void {
  if (stamp !== null && stamp === state.stamp) put(state.passing, key(versionId, arch), kernels, MAX_VERDICTS);
}

export function keptVerdict(versionId: number, arch: string | null, target: string): VersionVerdict | undefined {
  return get(state.verdicts, key(versionId, arch, target));
}

export function rememberVerdict(stamp: string | null, versionId: number, arch: string | null, target: string, verdict: VersionVerdict): void {
  if (stamp !== null && stamp === state.stamp) put(state.verdicts, key(versionId, arch, target), verdict, MAX_VERDICTS);
}

export function keptAnswer(requestKey: string): string | undefined {
  return get(state.answers, requestKey);
}

export function rememberAnswer(stamp: string | null, requestKey: string, json: string): void {
  if (stamp !== null && stamp === state.stamp) put(state.answers, requestKey, json, MAX_ANSWERS);
}
