import { db } from "../../db/client";
import { parseKernelVersion, type KernelVersion } from "../../domain/kernel-version";
import type { Status } from "../../domain/status";
import type { KernelCell } from "../../domain/verdict";

/**
 * The reads of a pre-upgrade check, in two round trips whatever the number of modules:
 *  1. loadCheckBasis: the modules, their versions, the version to judge for each, every cell of
 *     those versions, and the kernels involved, as one query with a compact encoding;
 *  2. loadCellDetails + loadSeriesCells (in parallel): error lines, log links and dates of just
 *     the cells that became evidence, and the cells of other versions on the target's series for
 *     the modules that need an alternative (broken, unsupported, unknown version).
 * Only Cell summaries are read, never raw results, and every cell lookup walks the Cell primary
 * key (moduleVersionId, kernelId, arch). Shipping a few thousand cells as three delimited strings
 * instead of rows of seven columns is several times cheaper to send and decode.
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
  /** newest first */
  versions: VersionRow[];
}

export interface CheckBasis {
  modules: Map<string, ModuleRow>;
  /** slug → id of the version to judge, for the wanted versions the server knows */
  judged: Map<string, number>;
  /** every cell of the judged versions, by version id (light: no error line, log or date) */
  cells: Map<number, KernelCell[]>;
  /** kernel string → id, for the kernels of those cells and of the target's series */
  kernelIds: Map<string, number>;
  seriesKernelIds: number[];
  targetKnown: boolean;
}

// Kernel strings are printable ASCII (lib/domain/kernel-version.ts), so the ASCII unit and record
// separators never occur inside a field.
const UNIT = "\x1f";
const RECORD = "\x1e";
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

export const cellKey = (versionId: number, kernel: string) => `${versionId}${UNIT}${kernel}`;

function records(text: string | null): string[][] {
  return text ? text.split(RECORD).map((r) => r.split(UNIT)) : [];
}

function decodeCells(text: string | null, kernels: Map<number, string>): Map<number, KernelCell[]> {
  const out = new Map<number, KernelCell[]>();
  for (const [mv, k, arch, status] of records(text)) {
    const version = kernels.get(Number(k));
    if (version === undefined) continue;
    const cell: KernelCell = { kernel: parseKnownKernel(version), arch, status: status as Status, errorLine: null, logUrl: null, lastResultAt: NO_DATE };
    const list = out.get(Number(mv));
    if (list) list.push(cell);
    else out.set(Number(mv), [cell]);
  }
  return out;
}

/** Round trip 1. `wanted` versions are exact strings, or null for the newest the server knows. */
export async function loadCheckBasis(opts: {
  wanted: { slug: string; version: string | null }[];
  series: string;
  target: string;
  arch: string | null;
}): Promise<CheckBasis> {
  const { wanted, series, arch } = opts;
  const [row] = await db().$queryRaw<
    { modules: string | null; versions: string | null; judged: string | null; cells: string | null; kernels: string | null; series: string | null }[]
  >`
    WITH want AS (
      SELECT * FROM unnest(${wanted.map((w) => w.slug)}::text[], ${wanted.map((w) => w.version)}::text[]) AS w(slug, version)
    ), mods AS (
      SELECT id, slug, name FROM "Module" WHERE slug IN (SELECT slug FROM want)
    ), vers AS (
      SELECT id, "moduleId", version, "sortKey", "declaredKernelMin", "declaredKernelMax" FROM "ModuleVersion"
      WHERE "moduleId" IN (SELECT id FROM mods)
    ), judged AS (
      SELECT DISTINCT ON (w.slug) w.slug, v.id FROM want w JOIN mods m ON m.slug = w.slug JOIN vers v ON v."moduleId" = m.id
      WHERE w.version IS NULL OR v.version = w.version
      ORDER BY w.slug, v."sortKey" DESC
    ), c AS (
      SELECT "moduleVersionId" AS mv, "kernelId" AS k, arch, status FROM "Cell"
      WHERE "moduleVersionId" IN (SELECT id FROM judged) AND (${arch}::text IS NULL OR arch = ${arch}::text)
    ), sk AS (
      SELECT id FROM "Kernel" WHERE series = ${series}
    )
    SELECT
      (SELECT string_agg(concat_ws(chr(31), id, slug, name), chr(30)) FROM mods) AS modules,
      (SELECT string_agg(concat_ws(chr(31), id, "moduleId", version, coalesce("declaredKernelMin", ''), coalesce("declaredKernelMax", '')), chr(30) ORDER BY "sortKey" DESC) FROM vers) AS versions,
      (SELECT string_agg(concat_ws(chr(31), slug, id), chr(30)) FROM judged) AS judged,
      (SELECT string_agg(concat_ws(chr(31), mv, k, arch, status), chr(30)) FROM c) AS cells,
      (SELECT string_agg(concat_ws(chr(31), id, version), chr(30)) FROM "Kernel" WHERE id IN (SELECT k FROM c UNION SELECT id FROM sk)) AS kernels,
      (SELECT string_agg(id::text, chr(31)) FROM sk) AS series`;

  const modules = new Map<string, ModuleRow>();
  const byId = new Map<number, ModuleRow>();
  for (const [id, slug, name] of records(row?.modules ?? null)) {
    const m: ModuleRow = { id: Number(id), slug, name, versions: [] };
    modules.set(slug, m);
    byId.set(m.id, m);
  }
  for (const [id, moduleId, version, min, max] of records(row?.versions ?? null)) {
    byId.get(Number(moduleId))?.versions.push({ id: Number(id), moduleId: Number(moduleId), version, declaredKernelMin: min || null, declaredKernelMax: max || null });
  }
  const kernels = new Map<number, string>();
  const kernelIds = new Map<string, number>();
  for (const [id, version] of records(row?.kernels ?? null)) {
    kernels.set(Number(id), version);
    kernelIds.set(version, Number(id));
  }
  const seriesKernelIds = row?.series ? row.series.split(UNIT).map(Number) : [];
  const targetId = kernelIds.get(opts.target);
  return {
    modules,
    judged: new Map(records(row?.judged ?? null).map(([slug, id]) => [slug, Number(id)])),
    cells: decodeCells(row?.cells ?? null, kernels),
    kernelIds,
    seriesKernelIds,
    targetKnown: targetId !== undefined && seriesKernelIds.includes(targetId),
  };
}

/** Round trip 2a: the full cells (error line, log link, date) of the given version × kernel pairs. */
export async function loadCellDetails(pairs: { versionId: number; kernelId: number }[], arch: string | null): Promise<Map<string, KernelCell[]>> {
  const out = new Map<string, KernelCell[]>();
  if (pairs.length === 0) return out;
  const rows = await db().$queryRaw<
    { mv: number; kernel: string; arch: string; status: string; errorLine: string | null; logUrl: string | null; lastResultAt: Date }[]
  >`
    SELECT c."moduleVersionId" AS mv, k.version AS kernel, c.arch, c.status, c."errorLine", c."logUrl", c."lastResultAt"
    FROM unnest(${pairs.map((p) => p.versionId)}::int[], ${pairs.map((p) => p.kernelId)}::int[]) AS want(mv, k)
    JOIN "Cell" c ON c."moduleVersionId" = want.mv AND c."kernelId" = want.k
    JOIN "Kernel" k ON k.id = c."kernelId"
    WHERE ${arch}::text IS NULL OR c.arch = ${arch}::text`;
  for (const r of rows) {
    const key = cellKey(r.mv, r.kernel);
    const cell: KernelCell = { kernel: parseKnownKernel(r.kernel), arch: r.arch, status: r.status as Status, errorLine: r.errorLine, logUrl: r.logUrl, lastResultAt: r.lastResultAt };
    const list = out.get(key);
    if (list) list.push(cell);
    else out.set(key, [cell]);
  }
  return out;
}

/** Round trip 2b: light cells of the given versions on the given kernels (the target's series). */
export async function loadSeriesCells(versionIds: number[], kernelIds: number[], arch: string | null): Promise<Map<number, KernelCell[]>> {
  if (versionIds.length === 0 || kernelIds.length === 0) return new Map();
  const [row] = await db().$queryRaw<{ cells: string | null; kernels: string | null }[]>`
    WITH c AS (
      SELECT "moduleVersionId" AS mv, "kernelId" AS k, arch, status FROM "Cell"
      WHERE "moduleVersionId" = ANY(${versionIds}::int[]) AND "kernelId" = ANY(${kernelIds}::int[]) AND (${arch}::text IS NULL OR arch = ${arch}::text)
    )
    SELECT (SELECT string_agg(concat_ws(chr(31), mv, k, arch, status), chr(30)) FROM c) AS cells,
           (SELECT string_agg(concat_ws(chr(31), id, version), chr(30)) FROM "Kernel" WHERE id IN (SELECT k FROM c)) AS kernels`;
  const kernels = new Map(records(row?.kernels ?? null).map(([id, version]) => [Number(id), version]));
  return decodeCells(row?.cells ?? null, kernels);
}
