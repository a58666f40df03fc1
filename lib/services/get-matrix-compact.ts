import { db, pgRead } from "../db/client";
import { isGenericFlavour, seriesSortKey } from "../domain/kernel-version";
import { isUpcoming, upstreamOf } from "../domain/kernel-release";
import { foldArches, summariseCounts, type GroupHeadline, type StatusCounts } from "../domain/matrix";
import { STATUSES, type Status } from "../domain/status";
import type { MatrixQuery } from "../schemas/query";
import { KERNELS_STAMP_SQL } from "./data-stamps";
import { scanVersionCellStates } from "./version-cell-states";
import { notFound } from "./errors";
import { kernelRowsOf, type KernelRow } from "./kernel-rows";
import type { MatrixVersion, MatrixView } from "./get-matrix";

export type { KernelRow } from "./kernel-rows";

/**
 * The matrix API's compact answer (`GET /api/v1/modules/{slug}/matrix?format=compact`, issue 14):
 * the same matrix as getMatrix, columnar, built from VersionCellStates (one short row per version ×
 * series) instead of one object per Cell. Collapsed series carry one summary per version (a
 * headline letter and four counts); only the series named in `expand` carry their kernels and one
 * status letter per version × kernel, plus the error lines of their failing cells. So what is sent
 * grows with what is expanded, not with the module's history: 100 versions × 400 kernels collapsed
 * is a few tens of KB, against 5 MB for the full shape.
 *
 * Letters: p pass, f fail, e error, s skip (first letters of STATUSES), "." no result; headlines
 * add m mixed and n none (lib/domain/matrix.ts summariseGroup). Cells fold their arches like the
 * full shape (foldKernelCells); `arch=` keeps one arch.
 *
 * Answers are kept per module and query while the data stamp (the module's and the kernels',
 * lib/services/data-stamps.ts, as for the check: see readMatrixColumns) stays the same, for at
 * most a minute.
 */

export interface CompactKernels {
  id: number[];
  version: string[];
  distro: string[];
  flavour: (string | null)[];
  upstreamVersion: (string | null)[];
  releasedAt: (string | null)[];
  upcoming: boolean[];
}

export interface CompactSeries {
  series: string;
  expanded: boolean;
  kernelCount: number;
  /** one letter per version (versions order): p f e s m n */
  headlines: string;
  /** per version (versions order) the counts pass, fail, error, skip, flattened */
  counts: number[];
  /** expanded only: the kernels in kernel order */
  kernels?: CompactKernels;
  /** expanded only: per version (versions order), one letter per kernel: p f e s, "." no result */
  cells?: string[];
  /** expanded only: [version index, kernel index, index into errorLines] of cells with an error line */
  errors?: [number, number, number][];
}

export interface CompactMatrix {
  format: "compact";
  module: { slug: string; name: string; description: string | null; homepage: string | null };
  query: MatrixQuery;
  options: { arches: string[]; distros: string[]; flavours: string[]; series: string[] };
  /** newest first */
  versions: MatrixVersion[];
  series: CompactSeries[];
  errorLines: string[];
  limits: { totalCells: number; sentCells: number };
  stamp: string;
}

const HEADLINE_LETTER: Record<GroupHeadline, string> = { pass: "p", fail: "f", error: "e", skip: "s", mixed: "m", none: "n" };
/** FOLD_RANK of lib/domain/status.ts: across arches the worst meaningful status wins (foldArches). */
const RANK: Record<Status, number> = { error: 0, pass: 1, skip: 2, fail: 3 };
const PASS_RANK = RANK.pass;
const LETTER_OF_RANK = ["e", "p", "s", "f"];
const RANK_OF_LETTER: Record<number, number> = Object.fromEntries(STATUSES.map((s) => [s.charCodeAt(0), RANK[s]]));
for (const s of STATUSES) if (LETTER_OF_RANK[RANK[s]] !== s[0] || foldArches(["error", s]) !== (s === "error" ? "error" : s)) throw new Error("matrix ranks disagree with lib/domain/status.ts");

const STATUS_OF_RANK: Status[] = [];
for (const s of STATUSES) STATUS_OF_RANK[RANK[s]] = s;

/** Counts indexed by fold rank (what the readers tally) as StatusCounts. */
export function countsOfTally(tally: readonly number[]): StatusCounts {
  return { pass: tally[RANK.pass], fail: tally[RANK.fail], error: tally[RANK.error], skip: tally[RANK.skip] };
}

/** The folded status of a held cell value (rank << 8 | arch index). */
export const statusOfHeld = (held: number): Status => STATUS_OF_RANK[held >> 8];
const TTL_MS = 60_000;
/** kernel ids below this have a dense slot table in readMatrixColumns */
const DENSE_IDS = 1 << 20;
const MAX_ENTRIES = 200;
const cache = new Map<string, { at: number; stamp: string; body: CompactMatrix }>();

/** Forget kept answers (benchmarks of the uncached path use it). */
export function forgetMatrixCache(): void {
  cache.clear();
}

/**
 * What the compact answer and the matrix page both read (readMatrixColumns): the module's
 * versions and filter options, and per version its cells decoded from VersionCellStates with the
 * arches folded, without one object per cell.
 */
export interface MatrixColumns {
  module: CompactMatrix["module"] & { id: number };
  stamp: string;
  /** newest first */
  versions: MatrixVersion[];
  options: MatrixView["options"];
  /** per version (versions order): kernel id → fold rank << 8 | index into `arches` of the decisive arch; kept arches only */
  cells: HeldCells[];
  arches: string[];
  /** the series with a cell of a kept arch after the filters, in series order; their kernels in kernel order */
  series: { series: string; kernels: KernelRow[] }[];
  /**
   * Per series, per version (versions order), its cells tallied by fold rank as the rows were
   * decoded; null when a filter keeps only some kernels of a series (distro, flavour), where
   * seriesTally counts them instead (tallyRow).
   */
  tallies: Map<string, number[][]> | null;
}

/** One version's decoded cells: kernel id → its held value (fold rank << 8 | arch index), if it has one. */
export interface HeldCells {
  get(kernelId: number): number | undefined;
}

/** One version's cells on one series' kernels tallied by fold rank (index RANK), as tallyRow gives them. */
export function seriesTally(read: MatrixColumns, series: { series: string; kernels: readonly { id: number }[] }, vi: number): number[] {
  return read.tallies ? (read.tallies.get(series.series)?.[vi] ?? [0, 0, 0, 0]) : tallyRow(read.cells[vi], series.kernels);
}

/**
 * One version's cells on a series' kernels, tallied by fold rank (index RANK: error, pass, skip,
 * fail); `visit` sees every kernel in order with its held value (undefined: no result).
 */
export function tallyRow(cells: HeldCells, kernels: readonly { id: number }[], visit?: (ki: number, held: number | undefined) => void): number[] {
  const tally = [0, 0, 0, 0];
  for (let ki = 0; ki < kernels.length; ki++) {
    const held = cells.get(kernels[ki].id);
    visit?.(ki, held);
    if (held !== undefined) tally[held >> 8] += 1;
  }
  return tally;
}

/**
 * Reads a module's matrix columns: one statement for the module, the data stamp (the module's
 * `dataStamp`, which moves with any change to its row, versions, cells or cell states, and the
 * kernels' stamp, which moves with their dates: migration 0013) and (unless `keptStamp` is still
 * the data stamp, then "unchanged") its versions and version cell states, one
 * for the kernels they name. Applies the query's filters (arch, distro, flavour/flavours, from, to)
 * like getMatrix.
 */
export async function readMatrixColumns(slug: string, query: MatrixQuery = {}, keptStamp: string | null = null): Promise<MatrixColumns | "unchanged"> {
  // node-pg straight (pgRead): Prisma's $queryRaw costs about as much Node CPU again as the query.
  const [row] = await pgRead<
    {
      module: { id: number; slug: string; name: string; description: string | null; homepage: string | null } | null;
      stamp: string;
      kernels: string | null;
      versions: [number, string, string | null, string | null, string | null, string | null][] | null;
      states: string | null;
    }
  >(
    `WITH m AS (SELECT id, slug, name, description, homepage FROM "Module" WHERE slug = $1::text),
    allvs AS (SELECT v.id, v.version, v."sortKey", v."releasedAt", v."releasedAtSource", v."declaredKernelMin", v."declaredKernelMax"
              FROM "ModuleVersion" v WHERE v."moduleId" = (SELECT id FROM m)),
    stamp AS (SELECT (SELECT "dataStamp" FROM "Module" WHERE slug = $1::text)::text || '.' || coalesce(${KERNELS_STAMP_SQL}, '') AS v),
    needed AS (SELECT $2::text IS DISTINCT FROM (SELECT v FROM stamp) AS yes),
    vs AS (SELECT * FROM allvs WHERE (SELECT yes FROM needed))
    SELECT (SELECT row_to_json(m) FROM m) AS module, (SELECT v FROM stamp) AS stamp, ${KERNELS_STAMP_SQL} AS kernels,
      (SELECT json_agg(json_build_array(id, version, to_char("releasedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), "releasedAtSource", "declaredKernelMin", "declaredKernelMax")
              ORDER BY "sortKey" DESC) FROM vs) AS versions,
      (SELECT string_agg(s."moduleVersionId"::text || E'\t' || s.series || E'\t' || s.states, E'\n') FROM "VersionCellStates" s WHERE s."moduleVersionId" IN (SELECT id FROM vs)) AS states`,
    [slug, keptStamp],
  );
  if (!row?.module) throw notFound(`module "${slug}"`);
  if (keptStamp !== null && keptStamp === row.stamp) return "unchanged";

  // One line per row, "<version id>\t<series>\t<states>": neither a series nor the states text
  // holds a tab or a newline (lib/services/version-cell-states.ts), and a plain text is cheaper to
  // send and read than JSON.
  // Rows are read in place (offsets into the one text): no string per row.
  const all = row.states ?? "";
  const states: [mv: number, series: string, from: number, to: number][] = [];
  for (let at = 0; at < all.length; ) {
    let eol = all.indexOf("\n", at);
    if (eol < 0) eol = all.length;
    const tab = all.indexOf("\t", at);
    const tab2 = all.indexOf("\t", tab + 1);
    states.push([Number(all.slice(at, tab)), all.slice(tab + 1, tab2), tab2 + 1, eol]);
    at = eol + 1;
  }
  const built = new Set(states.map((s) => s[0]));
  const versions: MatrixVersion[] = (row.versions ?? []).map(([id, version, releasedAt, releasedAtSource, declaredKernelMin, declaredKernelMax]) => ({
    id,
    version,
    releasedAt: releasedAt ? new Date(releasedAt) : null,
    releasedAtSource,
    declaredKernelMin,
    declaredKernelMax,
    hasResults: built.has(id),
  }));
  const versionIndex = new Map(versions.map((v, i) => [v.id, i]));

  // Decode every row, folding arches on the way (foldKernelCells: the worst status by FOLD_RANK,
  // shown from the first arch in arch order that has it), into one flat array: a row per version, a
  // column per kernel (a dense slot per kernel id), rank * 256 + index of the decisive arch, plus
  // one (0: no cell of a kept arch). No object and no map per version: 40,000 cells decode in a few
  // ms and leave little for the collector (a map per version made 2.8 MB of garbage per answer at
  // 100 × 400). The text is scanned once: each entry of a kept arch is packed into one int (slot,
  // rank, arch index) as it is read, and folded into the array once the number of slots is known.
  const archList: string[] = [];
  const archIndex = new Map<string, number>();
  // kernel id → its slot + 1 (0: not seen), dense by id below DENSE_IDS (a Map lookup per entry cost
  // about as much as the scan): kernel ids are the Kernel table's serial, so the array is as long
  // as the highest id named, grown by doubling; ids beyond it (never seen in practice) use a Map.
  let slotById = new Int32Array(1024);
  const slotOfLarge = new Map<number, number>();
  const slotOf = (kernelId: number) =>
    kernelId >= DENSE_IDS ? (slotOfLarge.get(kernelId) ?? -1) : kernelId < slotById.length ? slotById[kernelId] - 1 : -1;
  const kernelIds: number[] = [];
  /** per row: version index, series, and its entries' range in `packed` */
  const rows: { vi: number; series: string; from: number; to: number }[] = [];
  // an entry is at least two characters ("7p") and a separator, so the text's length bounds them
  const packed = new Int32Array((all.length >> 1) + 1);
  let count = 0;
  let archKept = true;
  let ai = 0;
  for (const [mv, rowSeries, from, to] of states) {
    const vi = versionIndex.get(mv);
    if (vi === undefined || from >= to) continue;
    const first = count;
    scanVersionCellStates(
      all,
      (arch) => {
        const known = archIndex.get(arch);
        ai = known ?? archList.push(arch) - 1;
        if (known === undefined) archIndex.set(arch, ai);
        archKept = !query.arch || arch === query.arch;
        return true;
      },
      // every kernel is an option of the unfiltered matrix, even when another arch is kept
      (kernelId, letter) => {
        let slot: number;
        if (kernelId < DENSE_IDS) {
          if (kernelId >= slotById.length) {
            const grown = new Int32Array(Math.min(DENSE_IDS, Math.max(kernelId + 1, 2 * slotById.length)));
            grown.set(slotById);
            slotById = grown;
          }
          slot = slotById[kernelId] - 1;
          if (slot < 0) slotById[kernelId] = (slot = kernelIds.push(kernelId) - 1) + 1;
        } else {
          slot = slotOfLarge.get(kernelId) ?? -1;
          if (slot < 0) slotOfLarge.set(kernelId, (slot = kernelIds.push(kernelId) - 1));
        }
        if (archKept) packed[count++] = (slot << 10) | (RANK_OF_LETTER[letter] << 8) | ai;
      },
      from,
      to,
    );
    rows.push({ vi, series: rowSeries, from: first, to: count });
  }
  // held values keep the arch index in 8 bits (Linux has about 30 arches)
  if (archList.length > 256) throw new Error(`matrix of "${slug}": more than 256 arches`);
  // arch index → its place in arch (byte) order, for the fold's tie rule
  const archOrder = new Int32Array(archList.length);
  [...archList.keys()].sort((a, b) => cmp(archList[a], archList[b])).forEach((a, place) => (archOrder[a] = place));
  const width = kernelIds.length;
  const held = new Int32Array(versions.length * width);
  /** per slot: 1 when some version has a cell of a kept arch there */
  const kept = new Uint8Array(width);
  // A row holds one version's cells on one series, so its tally is kept as its cells fold in.
  const tallies = new Map<string, number[][]>();
  for (const { vi, series: rowSeries, from, to } of rows) {
    let perVersion = tallies.get(rowSeries);
    if (!perVersion) tallies.set(rowSeries, (perVersion = versions.map(() => [0, 0, 0, 0])));
    const tally = perVersion[vi];
    const base = vi * width;
    for (let e = from; e < to; e++) {
      const entry = packed[e];
      const slot = entry >>> 10;
      const value = entry & 1023; // rank << 8 | arch index
      const rank = value >> 8;
      const h = held[base + slot];
      if (h === 0) {
        held[base + slot] = value + 1;
        kept[slot] = 1;
        tally[rank] += 1;
        continue;
      }
      const was = h - 1;
      if (rank > was >> 8 || (rank === was >> 8 && archOrder[value & 255] < archOrder[was & 255])) {
        held[base + slot] = value + 1;
        tally[was >> 8] -= 1;
        tally[rank] += 1;
      }
    }
  }
  const byVersion: HeldCells[] = versions.map((_, vi) => ({
    get(kernelId: number) {
      const slot = slotOf(kernelId);
      const h = slot < 0 ? 0 : held[vi * width + slot];
      return h === 0 ? undefined : h - 1;
    },
  }));
  const kernelRows = width ? await kernelRowsOf(kernelIds, row.kernels ?? "") : [];
  const options = {
    arches: [...archList].sort(),
    distros: [...new Set(kernelRows.map((k) => k.distro))].sort(),
    flavours: [...new Set(kernelRows.flatMap((k) => (k.flavour ? [k.flavour] : [])))].sort(),
    series: [...new Map(kernelRows.map((k) => [k.series, k.seriesKey])).entries()].sort((a, b) => cmp(a[1], b[1])).map(([s]) => s),
  };
  const fromKey = query.from ? seriesSortKey(query.from) : null;
  const toKey = query.to ? seriesSortKey(query.to) : null;
  const selected = kernelRows.filter(
    (k) =>
      (!query.distro || k.distro === query.distro) &&
      (!query.flavour || k.flavour === query.flavour) &&
      (query.flavours !== "generic" || !!query.flavour || isGenericFlavour(k.version)) &&
      (!fromKey || k.seriesKey >= fromKey) &&
      (!toKey || k.seriesKey <= toKey),
  );
  // Kernels with a cell of a selected arch, grouped by series in series order.
  const seriesKernels = new Map<string, { key: string; kernels: KernelRow[] }>();
  for (const k of selected) {
    if (!kept[slotOf(k.id)]) continue; // no cell of a kept arch
    const s = seriesKernels.get(k.series);
    if (s) s.kernels.push(k);
    else seriesKernels.set(k.series, { key: k.seriesKey, kernels: [k] });
  }
  const series = [...seriesKernels.entries()].sort((a, b) => cmp(a[1].key, b[1].key)).map(([name, { kernels }]) => ({ series: name, kernels }));
  // Tallies of whole rows stand for a series only while no filter drops some of its kernels.
  const partial = !!query.distro || !!query.flavour || (query.flavours === "generic" && !query.flavour);
  return { module: row.module, stamp: row.stamp, versions, options, cells: byVersion, arches: archList, series, tallies: partial ? null : tallies };
}

export async function getMatrixCompact(slug: string, query: MatrixQuery = {}): Promise<CompactMatrix> {
  const cacheKey = JSON.stringify([slug, query]);
  const kept = cache.get(cacheKey);
  const keptStamp = kept && Date.now() - kept.at < TTL_MS ? kept.stamp : null;
  const read = await readMatrixColumns(slug, query, keptStamp);
  if (read === "unchanged") return kept!.body;
  const { versions, options, cells: byVersion, arches: archList } = read;
  const expand = new Set(query.expand ?? []);
  const errorLines: string[] = [];
  const errorIndex = new Map<string, number>();
  let totalCells = 0;
  let sentCells = 0;
  const series: CompactSeries[] = [];
  const expandedCells: { vi: number; ki: number; si: number; kernelId: number; mv: number; arch: string }[] = [];
  for (const { series: name, kernels } of read.series) {
    const expanded = expand.has(name);
    let headlines = "";
    const counts: number[] = [];
    const cellStrings: string[] = [];
    versions.forEach((v, vi) => {
      let letters = "";
      const tally = expanded
        ? tallyRow(byVersion[vi], kernels, (ki, held) => {
            if (held === undefined) {
              letters += ".";
              return;
            }
            letters += LETTER_OF_RANK[held >> 8];
            if (held >> 8 !== PASS_RANK) expandedCells.push({ vi, ki, si: series.length, kernelId: kernels[ki].id, mv: v.id, arch: archList[held & 255] });
          })
        : seriesTally(read, { series: name, kernels }, vi);
      const n = tally[0] + tally[1] + tally[2] + tally[3];
      totalCells += n;
      if (expanded) {
        cellStrings.push(letters);
        sentCells += n;
      }
      const summary = summariseCounts(countsOfTally(tally)).headline;
      headlines += HEADLINE_LETTER[summary];
      counts.push(tally[RANK.pass], tally[RANK.fail], tally[RANK.error], tally[RANK.skip]);
    });
    series.push({
      series: name,
      expanded,
      kernelCount: kernels.length,
      headlines,
      counts,
      ...(expanded
        ? {
            kernels: {
              id: kernels.map((k) => k.id),
              version: kernels.map((k) => k.version),
              distro: kernels.map((k) => k.distro),
              flavour: kernels.map((k) => k.flavour),
              upstreamVersion: kernels.map((k) => upstreamOf(k)),
              releasedAt: kernels.map((k) => k.releasedAt),
              upcoming: kernels.map((k) => isUpcoming(k)),
            },
            cells: cellStrings,
            errors: [],
          }
        : {}),
    });
  }
  // Error lines of the expanded series' non-passing cells, from the decisive arch's Cell row (by primary key).
  if (expandedCells.length > 0) {
    const lines = await db().$queryRaw<{ mv: number; k: number; a: string; errorLine: string | null }[]>`
      SELECT c."moduleVersionId" AS mv, c."kernelId" AS k, c.arch AS a, c."errorLine"
      FROM unnest(${expandedCells.map((c) => c.mv)}::int[], ${expandedCells.map((c) => c.kernelId)}::int[], ${expandedCells.map((c) => c.arch)}::text[]) AS u(mv, k, a)
      JOIN "Cell" c ON c."moduleVersionId" = u.mv AND c."kernelId" = u.k AND c.arch = u.a
      WHERE c."errorLine" IS NOT NULL`;
    const lineOf = new Map(lines.map((l) => [`${l.mv}:${l.k}:${l.a}`, l.errorLine!]));
    for (const c of expandedCells) {
      const text = lineOf.get(`${c.mv}:${c.kernelId}:${c.arch}`);
      if (text === undefined) continue;
      let idx = errorIndex.get(text);
      if (idx === undefined) {
        idx = errorLines.push(text) - 1;
        errorIndex.set(text, idx);
      }
      series[c.si].errors!.push([c.vi, c.ki, idx]);
    }
  }
  const body: CompactMatrix = {
    format: "compact",
    module: { slug: read.module.slug, name: read.module.name, description: read.module.description, homepage: read.module.homepage },
    query,
    options,
    versions,
    series,
    errorLines,
    limits: { totalCells, sentCells },
    stamp: read.stamp,
  };
  cache.delete(cacheKey);
  cache.set(cacheKey, { at: Date.now(), stamp: read.stamp, body });
  for (const k of cache.keys()) {
    if (cache.size <= MAX_ENTRIES) break;
    cache.delete(k);
  }
  return body;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
