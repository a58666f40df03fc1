import { db, pgRead } from "../../db/client";
import { KERNELS_STAMP_SQL } from "../data-stamps";
import { parseKernelVersion, type KernelVersion } from "../../domain/kernel-version";
import type { Status } from "../../domain/status";
import { foldArches } from "../../domain/matrix";
import { passingKernels, type CellsBySeries, type KernelCell, type VersionVerdict } from "../../domain/verdict";
import { forEachKernelId, forEachVersionCellState, onlyArch } from "../version-cell-states";
import { keptCells, keptModuleVersions, keptVerdict, rememberCells, rememberModuleVersions } from "./check-cache";

/**
 * The reads of a pre-upgrade check, in one round trip for most checks and two at most, whatever
 * the number of modules:
 *  1. loadCheckBasis: the modules' versions and the cells of the versions to judge, in full on
 *     the target's series (where most evidence lies), and every series as the text of its
 *     VersionCellStates row (lib/services/version-cell-states.ts), made into bare states only for
 *     the series a rule walks to;
 *  2. only when needed, loadCellDetails + loadSeriesCells in parallel: the full cells of evidence
 *     outside the series (where a run of failures began), and the cells of other versions on the
 *     target's series for modules that need an alternative (broken, unsupported, unknown version).
 * Only Cell summaries are read, never raw results; cell lookups walk the Cell primary key
 * (moduleVersionId, kernelId, arch). Kernels travel as ids: an id always names the same kernel
 * string, so the strings are kept in a process-wide dictionary. Bare cell states travel as
 * delimited strings, several times cheaper to send and decode than rows; what was
 * read or concluded before is kept while the data does not change (check-cache.ts).
 */

export interface VersionRow {
  id: number;
  moduleId: number;
  version: string;
  declaredKernelMin: string | null;
  declaredKernelMax: string | null;
}

export interface ModuleRow {
  id: number;
  slug: string;
  name: string;
  /** the module's data stamp (check-cache.ts), read with its rows */
  stamp: string;
  /** newest first */
  versions: VersionRow[];
}

/** A version whose verdict on this target, and cells, were kept from an earlier check. */
export interface Settled {
  verdict: VersionVerdict;
  cells: SeriesReader;
}

export interface CheckBasis {
  /** the kernels' data stamp (check-cache.ts), read with the rest */
  kernelsStamp: string;
  modules: Map<string, ModuleRow>;
  /** slug → id of the version to judge, for the wanted versions the server knows */
  judged: Map<string, number>;
  /** judged versions whose verdict was kept: they come without cells */
  settled: Map<number, Settled>;
  /** the cells of the other judged versions, by version id */
  cells: Map<number, SeriesReader>;
  /** cellKey of the cells above that are complete (error line, log, date), not bare states */
  detailed: Set<string>;
  /** kernel string → id, for every kernel of those cells */
  kernelIds: ReadonlyMap<string, number>;
  targetKnown: boolean;
  /** the target's stored metadata (ingest `kernels[]`), when the server knows the kernel */
  targetMeta: { prerelease: boolean; upstreamVersion: string | null; releasedAt: string | null; releasedAtSource: string | null } | null;
}


const UNIT = "\x1f";
const NO_DATE = new Date(0);

// Kernel strings never change meaning, so their parse is shared across requests. Bounded, because
// a client may send any number of distinct (valid) kernel strings.
const parsed = new Map<string, KernelVersion>();
export function parseKnownKernel(version: string): KernelVersion {
  let k = parsed.get(version);
  if (!k) {
    if (parsed.size >= 50_000) parsed.clear();
    k = parseKernelVersion(version);
    parsed.set(version, k);
  }
  return k;
}

// Kernel rows are never renamed, so id ↔ string is stable for the life of the process.
const kernelById = new Map<number, string>();
const kernelIdOf = new Map<string, number>();

async function ensureKernels(ids: Iterable<number>): Promise<void> {
  const missing = [...new Set(ids)].filter((id) => !kernelById.has(id));
  if (missing.length === 0) return;
  const rows = await db().$queryRaw<{ id: number; version: string }[]>`SELECT id, version FROM "Kernel" WHERE id = ANY(${missing}::int[])`;
  for (const r of rows) {
    kernelById.set(r.id, r.version);
    kernelIdOf.set(r.version, r.id);
  }
}

export const cellKey = (versionId: number, kernel: string) => `${versionId}${UNIT}${kernel}`;

function addCell<K>(into: Map<K, KernelCell[]>, key: K, cell: KernelCell): void {
  const list = into.get(key);
  if (list) list.push(cell);
  else into.set(key, [cell]);
}

// Kept cells share these strings instead of holding a copy each.
const interned = new Map<string, string>();
const intern = (s: string) => interned.get(s) ?? (interned.size < 1000 ? (interned.set(s, s), s) : s);

/** The arch of a bare cell that stands for all arches of its kernel, folded (see bareCells). */
const ALL_ARCHES = "*";

/**
 * Cells of one VersionCellStates row's text. With one arch asked for, a cell per kernel of that
 * arch; otherwise one cell per kernel with its arches folded by the matrix rule (foldArches, the
 * status foldKernelCells gives), which is all the verdict rules read of a cell known only by its
 * state (the evidence they cite is reloaded in full, loadCellDetails). The row's kernels must be
 * in the dictionary (VersionCells.fromRows loads them).
 */
function bareCells(text: string, arch: string | null): KernelCell[] {
  // kernel id → status with the arches folded as they come (foldArches is the worst status, so
  // folding pairwise is folding all): no object per entry, no grouping.
  const byKernel = new Map<number, Status>();
  forEachVersionCellState(text, arch, (kernelId, _arch, status) => {
    const held = byKernel.get(kernelId);
    byKernel.set(kernelId, held === undefined || held === status ? status : foldArches([held, status])!);
  });
  const out: KernelCell[] = [];
  const cellArch = arch === null ? ALL_ARCHES : intern(arch);
  for (const [kernelId, status] of byKernel) {
    const raw = kernelById.get(kernelId);
    if (raw !== undefined) out.push({ kernel: parseKnownKernel(raw), arch: cellArch, status, errorLine: null, logUrl: null, lastResultAt: NO_DATE });
  }
  return out;
}

/**
 * One version's cells, series by series, as kept between checks (check-cache.ts): each series as its
 * VersionCellStates text (only the asked arch's part), and the passing kernels of a series once a
 * check needed them. A check reads them through `read()`, which makes cells of a series only when a
 * rule walks there: decoding every series was most of a cold check's CPU at 10 M results (issue 14),
 * and text is several times smaller than cells, so a process keeps many more versions.
 */
export class VersionCells {
  private readonly texts = new Map<string, string>();
  private readonly passed = new Map<string, readonly KernelVersion[]>();
  /** What check-cache.ts bounds, in cells: about one per 64 characters of text. */
  readonly size: number;

  private constructor(
    readonly arch: string | null,
    texts: Iterable<[string, string]>,
  ) {
    let n = 0;
    for (const [series, text] of texts) {
      this.texts.set(series, text);
      n += Math.ceil(text.length / 64);
    }
    this.size = n;
  }

  /** From stored rows ([series, text]), after loading every kernel they name into the dictionary. */
  static async fromRows(rows: readonly [string, string][], arch: string | null): Promise<VersionCells> {
    const missing = new Set<number>();
    const texts: [string, string][] = [];
    for (const [series, stored] of rows) {
      const text = arch === null ? stored : onlyArch(stored, arch);
      const count = forEachKernelId(text, null, (id) => {
        if (!kernelById.has(id)) missing.add(id);
      });
      if (count > 0) texts.push([series, text]);
    }
    await ensureKernels(missing);
    return new VersionCells(arch, texts);
  }

  get series(): string[] {
    return [...this.texts.keys()];
  }

  /** A reader for one check, with the full cells of one series (the target's) when it read them. */
  read(full?: { series: string; cells: readonly KernelCell[] }): SeriesReader {
    return new SeriesReader(this, full);
  }

  /** Bare cells of one series, decoded anew. */
  decode(series: string): readonly KernelCell[] {
    const text = this.texts.get(series);
    return text === undefined ? [] : bareCells(text, this.arch);
  }

  passingOf(series: string, cells: () => readonly KernelCell[]): readonly KernelVersion[] {
    let kernels = this.passed.get(series);
    if (!kernels) {
      kernels = passingKernels(cells());
      this.passed.set(series, kernels);
    }
    return kernels;
  }
}

/**
 * One check's view of a version's VersionCells (the verdict rules' CellsBySeries): the series it
 * decodes stay decoded until the check is done; the target's series comes in full when read.
 */
export class SeriesReader implements CellsBySeries {
  private readonly made = new Map<string, readonly KernelCell[]>();
  readonly series: readonly string[];

  constructor(
    private readonly kept: VersionCells,
    full?: { series: string; cells: readonly KernelCell[] },
  ) {
    this.series = kept.series;
    if (full) {
      this.made.set(full.series, full.cells);
      if (full.cells.length > 0 && !this.series.includes(full.series)) this.series = [...this.series, full.series];
    }
  }

  cells(series: string): readonly KernelCell[] {
    let cells = this.made.get(series);
    if (!cells) {
      cells = this.kept.decode(series);
      this.made.set(series, cells);
    }
    return cells;
  }

  passing(series: string): readonly KernelVersion[] {
    return this.kept.passingOf(series, () => this.cells(series));
  }

  /** The same cells with the full cells of `details` (by cellKey) in place of bare ones. */
  withDetails(versionId: number, details: ReadonlyMap<string, KernelCell[]>): CellsBySeries {
    if (details.size === 0) return this;
    const swap = (cells: readonly KernelCell[]): KernelCell[] => {
      const out: KernelCell[] = [];
      const done = new Set<string>();
      for (const c of cells) {
        const key = cellKey(versionId, c.kernel.raw);
        const full = details.get(key);
        if (!full) out.push(c);
        else if (!done.has(key)) {
          out.push(...full);
          done.add(key);
        }
      }
      return out;
    };
    const memo = new Map<string, KernelCell[]>();
    const cellsOf = (s: string) => memo.get(s) ?? (memo.set(s, swap(this.cells(s))), memo.get(s)!);
    return { series: this.series, cells: cellsOf, passing: (s) => passingKernels(cellsOf(s)) };
  }
}

type FullCell = [mv: number, kernelId: number, arch: string, status: string, errorLine: string | null, logUrl: string | null, at: string];

// timestamp(3) columns hold UTC without a zone, and JSON prints them so.
const utc = (at: string) => new Date(`${at}Z`);

/**
 * Round trip 1. `wanted` versions are exact strings, or null for the newest the server knows.
 * Cells of the target's series come in full, and every series (that one too) as its stored text,
 * decoded later only where a rule walks (VersionCells). What check-cache.ts kept is left out:
 * versions whose verdict on this target is settled need nothing, versions whose text is kept need
 * only the target's full cells; the statement itself compares each module's stamp with the one the
 * kept data was read at, and reads everything of a module whose stamp moved.
 */
export async function loadCheckBasis(opts: {
  wanted: { slug: string; version: string | null }[];
  series: string;
  target: string;
  arch: string | null;
}): Promise<CheckBasis> {
  const { wanted, series, arch, target } = opts;
  const slugs = wanted.map((w) => w.slug);
  const settledBefore = new Map<number, { verdict: VersionVerdict; cells: VersionCells; stamp: string }>();
  const cellsBefore = new Map<number, { stamp: string; cells: VersionCells }>();
  for (const w of wanted) {
    const versions = keptModuleVersions(w.slug);
    if (!versions) continue;
    const id = (w.version === null ? versions.value[0] : versions.value.find((v) => v.version === w.version))?.id;
    if (id === undefined) continue;
    // only what was read at the stamp the version list was read at: one module state throughout
    const at = <T,>(e: { stamp: string; value: T } | undefined) => (e && e.stamp === versions.stamp ? e.value : undefined);
    const verdict = at(keptVerdict(id, arch, target));
    const cells = at(keptCells(id, arch));
    if (cells) cellsBefore.set(id, { stamp: versions.stamp, cells });
    if (verdict && cells) settledBefore.set(id, { verdict, cells, stamp: versions.stamp });
  }
  const settledIds = [...settledBefore.keys()];
  const bare = new Map([...cellsBefore].map(([id, c]) => [id, c.stamp]));
  // Error lines are free text, so full cells travel as JSON; the other cells come from the
  // VersionCellStates rows of the other series (lib/services/version-cell-states.ts).
  // node-pg straight (pgRead): this statement runs for every check, and Prisma's $queryRaw would
  // cost about as much Node CPU again as the query (issue 14).
  const [row] = await pgRead<
    {
      kernels: string;
      versions: [number, number, string, string, string, string | null, string | null, string][] | null;
      judged: [string, number][] | null;
      states: [number, string, string][] | null;
      full: FullCell[] | null;
      known: boolean;
      meta: [boolean, string | null, string | null, string | null] | null;
    }
  >(
    `WITH want AS (
      SELECT * FROM unnest($1::text[], $2::text[]) AS w(slug, version)
    ), vers AS (
      SELECT v.id, v."moduleId", m.slug, m.name, v.version, v."sortKey", v."declaredKernelMin", v."declaredKernelMax", m."dataStamp"::text AS stamp
      FROM "Module" m JOIN "ModuleVersion" v ON v."moduleId" = m.id
      WHERE m.slug = ANY($1::text[])
    ), judged AS (
      SELECT DISTINCT ON (w.slug) w.slug, v.id, v.stamp FROM want w JOIN vers v ON v.slug = w.slug
      WHERE w.version IS NULL OR v.version = w.version
      ORDER BY w.slug, v."sortKey" DESC
    ), kept_bare AS (
      SELECT * FROM unnest($4::int[], $5::text[]) AS k(id, stamp)
    ), kept_settled AS (
      SELECT * FROM unnest($6::int[], $7::text[]) AS k(id, stamp)
    )
    SELECT
      ${KERNELS_STAMP_SQL} AS kernels,
      (SELECT json_agg(json_build_array(id, "moduleId", slug, name, version, "declaredKernelMin", "declaredKernelMax", stamp) ORDER BY "sortKey" DESC) FROM vers) AS versions,
      (SELECT json_agg(json_build_array(slug, id)) FROM judged) AS judged,
      (SELECT json_agg(json_build_array(s."moduleVersionId", s.series, s.states)) FROM "VersionCellStates" s
        WHERE s."moduleVersionId" IN (SELECT j.id FROM judged j WHERE NOT EXISTS (SELECT 1 FROM kept_bare k WHERE k.id = j.id AND k.stamp = j.stamp))) AS states,
      (SELECT json_agg(json_build_array(c."moduleVersionId", c."kernelId", c.arch, c.status, c."errorLine", c."logUrl", c."lastResultAt")) FROM "Cell" c
        WHERE c."moduleVersionId" IN (SELECT j.id FROM judged j WHERE NOT EXISTS (SELECT 1 FROM kept_settled k WHERE k.id = j.id AND k.stamp = j.stamp))
          AND c."kernelId" IN (SELECT id FROM "Kernel" WHERE series = $3::text)
          AND ($8::text IS NULL OR c.arch = $8::text)) AS full,
      EXISTS (SELECT 1 FROM "Kernel" WHERE version = $9::text) AS known,
      (SELECT json_build_array(prerelease, "upstreamVersion", "releasedAt", "releasedAtSource") FROM "Kernel" WHERE version = $9::text) AS meta`,
    [slugs, wanted.map((w) => w.version), series, [...bare.keys()], [...bare.values()], settledIds, settledIds.map((id) => settledBefore.get(id)!.stamp), arch, target],
  );

  const modules = new Map<string, ModuleRow>();
  for (const [id, moduleId, slug, name, version, min, max, stamp] of row?.versions ?? []) {
    let m = modules.get(slug);
    if (!m) modules.set(slug, (m = { id: moduleId, slug, name, stamp, versions: [] }));
    m.versions.push({ id, moduleId, version, declaredKernelMin: min, declaredKernelMax: max });
  }
  for (const m of modules.values()) rememberModuleVersions(m.stamp, m.slug, m.versions.map((v) => ({ id: v.id, version: v.version })));
  const judged = new Map(row?.judged ?? []);
  const stampOf = new Map<number, string>();
  for (const m of modules.values()) for (const v of m.versions) stampOf.set(v.id, m.stamp);
  const detailed = new Set<string>();
  const full = row?.full ?? [];
  await ensureKernels(full.map((c) => c[1]));
  const rowsOf = new Map<number, [string, string][]>();
  for (const [mv, s, text] of row?.states ?? []) {
    const list = rowsOf.get(mv);
    if (list) list.push([s, text]);
    else rowsOf.set(mv, [[s, text]]);
  }
  // Cells of the target's series came in full, those of the other series as their stored text.
  const fullOf = new Map<number, KernelCell[]>();
  for (const [mv, k, arch, status, errorLine, logUrl, at] of full) {
    const kernel = kernelById.get(k);
    if (kernel === undefined) continue;
    detailed.add(cellKey(mv, kernel));
    addCell(fullOf, mv, { kernel: parseKnownKernel(kernel), arch, status: status as Status, errorLine, logUrl, lastResultAt: utc(at) });
  }

  const settled = new Map<number, Settled>();
  const cells = new Map<number, SeriesReader>();
  for (const id of judged.values()) {
    // Only if the statement saw the stamp the kept data belongs to did it leave that data out.
    const stamp = stampOf.get(id);
    const done = settledBefore.get(id);
    if (done && done.stamp === stamp) {
      settled.set(id, { verdict: done.verdict, cells: done.cells.read() });
      continue;
    }
    const kept = bare.get(id) === stamp ? cellsBefore.get(id)?.cells : undefined;
    const version = kept ?? (await VersionCells.fromRows(rowsOf.get(id) ?? [], arch));
    cells.set(id, version.read({ series, cells: fullOf.get(id) ?? [] }));
    if (stamp !== undefined && !kept) rememberCells(stamp, id, arch, version);
  }
  const meta = row?.meta;
  const targetMeta = meta ? { prerelease: meta[0], upstreamVersion: meta[1], releasedAt: meta[2] ? utc(meta[2]).toISOString() : null, releasedAtSource: meta[3] } : null;
  return { kernelsStamp: row?.kernels ?? "", modules, judged, settled, cells, detailed, kernelIds: kernelIdOf, targetKnown: row?.known ?? false, targetMeta };
}

/** Round trip 2a: the full cells (error line, log link, date) of the given version × kernel pairs, by cellKey. */
export async function loadCellDetails(pairs: { versionId: number; kernelId: number }[], arch: string | null): Promise<Map<string, KernelCell[]>> {
  const out = new Map<string, KernelCell[]>();
  if (pairs.length === 0) return out;
  const [row] = await db().$queryRaw<{ full: FullCell[] | null }[]>`
    SELECT json_agg(json_build_array(c."moduleVersionId", c."kernelId", c.arch, c.status, c."errorLine", c."logUrl", c."lastResultAt")) AS full
    FROM unnest(${pairs.map((p) => p.versionId)}::int[], ${pairs.map((p) => p.kernelId)}::int[]) AS want(mv, k)
    JOIN "Cell" c ON c."moduleVersionId" = want.mv AND c."kernelId" = want.k
    WHERE ${arch}::text IS NULL OR c.arch = ${arch}::text`;
  const full = row?.full ?? [];
  await ensureKernels(full.map((c) => c[1]));
  for (const [mv, k, arch, status, errorLine, logUrl, at] of full) {
    const kernel = kernelById.get(k);
    if (kernel === undefined) continue;
    addCell(out, cellKey(mv, kernel), { kernel: parseKnownKernel(kernel), arch, status: status as Status, errorLine, logUrl, lastResultAt: utc(at) });
  }
  return out;
}

/** Round trip 2b: bare cell states of the given versions on kernels of one series, by version id. */
export async function loadSeriesCells(versionIds: number[], series: string, arch: string | null): Promise<Map<number, readonly KernelCell[]>> {
  const out = new Map<number, readonly KernelCell[]>();
  if (versionIds.length === 0) return out;
  const [row] = await db().$queryRaw<{ states: [number, string][] | null }[]>`
    SELECT json_agg(json_build_array("moduleVersionId", states)) AS states FROM "VersionCellStates"
    WHERE "moduleVersionId" = ANY(${versionIds}::int[]) AND series = ${series}`;
  for (const [mv, text] of row?.states ?? []) out.set(mv, (await VersionCells.fromRows([[series, text]], arch)).decode(series));
  return out;
}
