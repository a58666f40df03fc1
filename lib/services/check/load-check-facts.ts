import { db } from "../../db/client";
import { parseKernelVersion, type KernelVersion } from "../../domain/kernel-version";
import type { Status } from "../../domain/status";
import type { KernelCell } from "../../domain/verdict";

export interface VersionRow {
  id: number;
  moduleId: number;
  version: string;
  sortKey: string;
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

/** Modules by slug with all their versions, newest first. */
export async function loadModules(slugs: readonly string[]): Promise<Map<string, ModuleRow>> {
  if (slugs.length === 0) return new Map();
  const rows = await db().$queryRaw<
    { moduleId: number; slug: string; name: string; id: number | null; version: string | null; sortKey: string | null; min: string | null; max: string | null }[]
  >`
    SELECT m.id AS "moduleId", m.slug, m.name, mv.id, mv.version, mv."sortKey", mv."declaredKernelMin" AS min, mv."declaredKernelMax" AS max
    FROM "Module" m LEFT JOIN "ModuleVersion" mv ON mv."moduleId" = m.id
    WHERE m.slug = ANY(${[...slugs]}::text[])
    ORDER BY m.id, mv."sortKey" DESC`;
  const out = new Map<string, ModuleRow>();
  for (const r of rows) {
    let m = out.get(r.slug);
    if (!m) {
      m = { id: r.moduleId, slug: r.slug, name: r.name, versions: [] };
      out.set(r.slug, m);
    }
    if (r.id !== null && r.version !== null && r.sortKey !== null) {
      m.versions.push({ id: r.id, moduleId: r.moduleId, version: r.version, sortKey: r.sortKey, declaredKernelMin: r.min, declaredKernelMax: r.max });
    }
  }
  return out;
}

/** Ids of the stored kernels of one series, and whether the exact target string is among them. */
export async function loadSeriesKernels(target: KernelVersion): Promise<{ ids: number[]; targetKnown: boolean }> {
  const rows = await db().$queryRaw<{ id: number; version: string }[]>`SELECT id, version FROM "Kernel" WHERE series = ${target.series}`;
  return { ids: rows.map((r) => r.id), targetKnown: rows.some((r) => r.version === target.raw) };
}

type CellRow = {
  moduleVersionId: number;
  kernel: string;
  arch: string;
  status: string;
  errorLine: string | null;
  logUrl: string | null;
  lastResultAt: Date;
};

function toCells(rows: CellRow[]): Map<number, KernelCell[]> {
  const out = new Map<number, KernelCell[]>();
  for (const r of rows) {
    const cell: KernelCell = {
      kernel: parseKnownKernel(r.kernel),
      arch: r.arch,
      status: r.status as Status,
      errorLine: r.errorLine,
      logUrl: r.logUrl,
      lastResultAt: r.lastResultAt,
    };
    const list = out.get(r.moduleVersionId);
    if (list) list.push(cell);
    else out.set(r.moduleVersionId, [cell]);
  }
  return out;
}

/**
 * Cells (the folded summaries, never raw results) that a verdict needs: every cell of the judged
 * versions, for the failure history and the newest safe kernel, and every cell of all versions of
 * those modules on kernels of the target's series, for the alternatives. Both lookups walk the
 * Cell primary key (moduleVersionId, kernelId, arch).
 */
export async function loadCells(opts: {
  judgedVersionIds: number[];
  allVersionIds: number[];
  seriesKernelIds: number[];
  arch: string | null;
}): Promise<{ judged: Map<number, KernelCell[]>; series: Map<number, KernelCell[]> }> {
  const { judgedVersionIds, allVersionIds, seriesKernelIds, arch } = opts;
  const [judged, series] = await Promise.all([
    judgedVersionIds.length === 0
      ? []
      : db().$queryRaw<CellRow[]>`
          SELECT c."moduleVersionId", k.version AS kernel, c.arch, c.status, c."errorLine", c."logUrl", c."lastResultAt"
          FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId"
          WHERE c."moduleVersionId" = ANY(${judgedVersionIds}::int[]) AND (${arch}::text IS NULL OR c.arch = ${arch}::text)`,
    allVersionIds.length === 0 || seriesKernelIds.length === 0
      ? []
      : db().$queryRaw<CellRow[]>`
          SELECT c."moduleVersionId", k.version AS kernel, c.arch, c.status, c."errorLine", c."logUrl", c."lastResultAt"
          FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId"
          WHERE c."moduleVersionId" = ANY(${allVersionIds}::int[]) AND c."kernelId" = ANY(${seriesKernelIds}::int[])
            AND (${arch}::text IS NULL OR c.arch = ${arch}::text)`,
  ]);
  return { judged: toCells(judged), series: toCells(series) };
}
