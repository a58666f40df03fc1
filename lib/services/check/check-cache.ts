import type { VersionVerdict } from "../../domain/verdict";
import type { VersionCells } from "./load-check-facts";

/**
 * What the check keeps between requests, while the data it came from stays the same: hooks on many
 * machines ask about the same few module versions and target kernels, and a verdict only changes
 * when that module's data does. Each entry carries the stamp it was read at (migration 0013): a
 * module's `dataStamp` for what belongs to one module (its versions, cells, verdicts), the kernels'
 * stamp for kernel metadata, and for a whole answer the stamps of everything it names. Database
 * triggers move a stamp in the transaction of the change, so an entry is used only while the
 * database still says the stamp it was read at: an ingest into one module leaves what is kept for
 * the others in place. The stamps are read in the same statement as the data they cover
 * (load-check-facts.ts, check-answer.ts). Entries also expire after a minute. Bounded in size,
 * least recently used first out.
 */

const TTL_MS = 60_000;
const MAX_CELLS = 400_000;
const MAX_VERDICTS = 50_000;
/** Whole answers are a few KB each: 10,000 of them stay well under 100 MB. */
const MAX_ANSWERS = 10_000;
const MAX_MODULES = 10_000;

interface Entry<T> {
  at: number;
  stamp: string;
  value: T;
}

export interface Kept<T> {
  stamp: string;
  value: T;
}

function fresh() {
  return {
    cellCount: 0,
    /** `${versionId}|${arch}` → the version's cells (series as stored text or as cells, made as read), at its module's stamp */
    cells: new Map<string, Entry<VersionCells>>(),
    /** `${versionId}|${arch}|${target}` → the verdict, alternatives included */
    verdicts: new Map<string, Entry<VersionVerdict>>(),
    /** module slug → its versions, at its stamp */
    moduleVersions: new Map<string, Entry<{ id: number; version: string }[]>>(),
    /** kernel string → the Linux version reported for it (null: none), at the kernels' stamp */
    upstream: new Map<string, Entry<string | null>>(),
    /** request key (check-answer.ts) → the whole answer, serialised, at the request's stamp */
    answers: new Map<string, Entry<string> & { confirmedAt: number | null }>(),
  };
}

/**
 * One cache per process (globalThis), not per bundled copy of this file: Next bundles route
 * handlers apart, and a copy per bundle would keep the same answers several times over.
 */
const g = globalThis as unknown as { __modcompatCheckCache?: ReturnType<typeof fresh> };
const state = (g.__modcompatCheckCache ??= fresh());

const key = (versionId: number, arch: string | null, target?: string) => `${versionId}|${arch ?? "*"}${target === undefined ? "" : `|${target}`}`;

function get<T, E extends Entry<T>>(map: Map<string, E>, k: string): E | undefined {
  const e = map.get(k);
  if (!e) return undefined;
  if (Date.now() - e.at >= TTL_MS) {
    map.delete(k);
    return undefined;
  }
  map.delete(k);
  map.set(k, e);
  return e;
}

function put<E>(map: Map<string, E>, k: string, entry: E, max: number): void {
  map.delete(k);
  map.set(k, entry);
  for (const oldest of map.keys()) {
    if (map.size <= max) break;
    map.delete(oldest);
  }
}

const kept = <T>(e: Entry<T> | undefined): Kept<T> | undefined => (e ? { stamp: e.stamp, value: e.value } : undefined);

/** Forget everything, as a fresh process would (benchmarks of the cold path use it). */
export function forgetCheckCache(): void {
  state.cellCount = 0;
  state.cells.clear();
  state.verdicts.clear();
  state.moduleVersions.clear();
  state.upstream.clear();
  state.answers.clear();
}

/** The kept Linux version of a kernel string, if it was read at the kernels' stamp given. */
export function keptUpstream(kernelsStamp: string, kernel: string): string | null | undefined {
  const e = get(state.upstream, kernel);
  return e && e.stamp === kernelsStamp ? e.value : undefined;
}

export function rememberUpstream(kernelsStamp: string, kernel: string, upstream: string | null): void {
  put(state.upstream, kernel, { at: Date.now(), stamp: kernelsStamp, value: upstream }, MAX_VERDICTS);
}

export function keptModuleVersions(slug: string): Kept<{ id: number; version: string }[]> | undefined {
  return kept(get(state.moduleVersions, slug));
}

export function rememberModuleVersions(stamp: string, slug: string, versions: { id: number; version: string }[]): void {
  put(state.moduleVersions, slug, { at: Date.now(), stamp, value: versions }, MAX_MODULES);
}

export function keptCells(versionId: number, arch: string | null): Kept<VersionCells> | undefined {
  const k = key(versionId, arch);
  const held = state.cells.get(k);
  // get() drops an expired entry: its cells leave the count with it
  const e = get(state.cells, k);
  if (held && !e) state.cellCount -= held.value.size;
  return kept(e);
}

export function rememberCells(stamp: string, versionId: number, arch: string | null, cells: VersionCells): void {
  const k = key(versionId, arch);
  state.cellCount -= state.cells.get(k)?.value.size ?? 0;
  state.cells.delete(k);
  state.cells.set(k, { at: Date.now(), stamp, value: cells });
  state.cellCount += cells.size;
  for (const [oldest, e] of state.cells) {
    if (state.cellCount <= MAX_CELLS) break;
    state.cells.delete(oldest);
    state.cellCount -= e.value.size;
  }
}

export function keptVerdict(versionId: number, arch: string | null, target: string): Kept<VersionVerdict> | undefined {
  return kept(get(state.verdicts, key(versionId, arch, target)));
}

export function rememberVerdict(stamp: string, versionId: number, arch: string | null, target: string, verdict: VersionVerdict): void {
  put(state.verdicts, key(versionId, arch, target), { at: Date.now(), stamp, value: verdict }, MAX_VERDICTS);
}

/** A kept answer: its text, the stamp of the request it was built at, and the results generation (results-listener.ts) at which that stamp was last confirmed. */
export function keptAnswer(requestKey: string): { json: string; stamp: string; confirmedAt: number | null } | undefined {
  const e = get(state.answers, requestKey);
  return e ? { json: e.value, stamp: e.stamp, confirmedAt: e.confirmedAt } : undefined;
}

export function rememberAnswer(stamp: string, requestKey: string, json: string, generation: number | null): void {
  put(state.answers, requestKey, { at: Date.now(), stamp, value: json, confirmedAt: generation }, MAX_ANSWERS);
}

/** The database still says the answer's stamp at this generation: nothing it names changed since. */
export function confirmAnswer(requestKey: string, generation: number | null): void {
  const e = state.answers.get(requestKey);
  if (e) e.confirmedAt = generation;
}
