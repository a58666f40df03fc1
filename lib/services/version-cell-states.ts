import { sql, type SqlTarget } from "../db/sql";
import { Prisma } from "../generated/prisma/client";
import { STATUSES, type Status } from "../domain/status";

/**
 * VersionCellStates: the Cell states of one module version on the kernels of one series, in one
 * text, so that a reader who needs a version's whole row of the matrix (the pre-upgrade check)
 * reads a few short rows instead of a thousand Cell rows. Format, arches in byte order, kernels by
 * id:
 *
 *     x86_64|101p 102f 117s,aarch64|101p 102e
 *
 * that is `arch|` then `<kernel id><first letter of the status>` separated by spaces, arches
 * separated by ",". Arch names are [a-z0-9_]+ (lib/schemas/ingest.ts), so the separators never
 * occur inside them. The rows are rebuilt from Cell in the transaction that changes the cells
 * (recomputeCells), so they never disagree with Cell; migration 0003 filled them for existing data.
 */

const STATUS_BY_LETTER = new Map<string, Status>(STATUSES.map((s) => [s[0], s]));
if (STATUS_BY_LETTER.size !== STATUSES.length) throw new Error("statuses must differ in their first letter (VersionCellStates format)");

/**
 * The rows (mv, series, states, cellCount) that Cell implies for the version × series pairs of
 * `touched` (a relation with columns mv, series): the one statement of the format in SQL, for
 * writing (refreshVersionCellStates) and for checking what is stored (reindex.ts).
 */
export const expectedStatesSql = (touched: Prisma.Sql) => Prisma.sql`
    SELECT mv, series, string_agg(arch || '|' || list, ',' ORDER BY arch) AS states, sum(n)::int AS "cellCount"
    FROM (
      SELECT t.mv, t.series, c.arch, string_agg(c."kernelId"::text || left(c.status, 1), ' ' ORDER BY c."kernelId") AS list, count(*) AS n
      FROM (${touched}) t JOIN "Kernel" k ON k.series = t.series JOIN "Cell" c ON c."moduleVersionId" = t.mv AND c."kernelId" = k.id
      GROUP BY t.mv, t.series, c.arch
    ) per_arch
    GROUP BY mv, series`;

/**
 * Rebuild the rows (version × series) that hold the given cells. Each touched pair is rebuilt from
 * its own cells only: the kernels of the series (Kernel.series index), then their cells of that
 * version by Cell's primary key (moduleVersionId, kernelId, arch), one pair at a time (LATERAL),
 * so the planner has no join to turn into a scan of the whole Cell table (issue 14 saw a 1.1 M-row
 * sequential scan here). Written like expectedStatesSql, which `db reindex --check` compares it with.
 */
export async function refreshVersionCellStates(tx: SqlTarget, cells: readonly { moduleVersionId: number; kernelId: number }[]): Promise<void> {
  if (cells.length === 0) return;
  const pairs = [...new Map(cells.map((c) => [`${c.moduleVersionId}:${c.kernelId}`, c])).values()];
  await sql(tx, Prisma.sql`
    WITH touched AS MATERIALIZED (
      SELECT DISTINCT u.mv, k.series FROM unnest(${pairs.map((p) => p.moduleVersionId)}::int[], ${pairs.map((p) => p.kernelId)}::int[]) AS u(mv, k)
      JOIN "Kernel" k ON k.id = u.k
    )
    INSERT INTO "VersionCellStates" ("moduleVersionId", "series", "states", "cellCount")
    SELECT t.mv, t.series, x.states, x.n
    FROM touched t CROSS JOIN LATERAL (
      SELECT string_agg(arch || '|' || list, ',' ORDER BY arch) AS states, sum(n)::int AS n
      FROM (
        SELECT c.arch, string_agg(c."kernelId"::text || left(c.status, 1), ' ' ORDER BY c."kernelId") AS list, count(*) AS n
        FROM "Kernel" k JOIN "Cell" c ON c."moduleVersionId" = t.mv AND c."kernelId" = k.id
        WHERE k.series = t.series
        GROUP BY c.arch
      ) per_arch
    ) x
    WHERE x.states IS NOT NULL
    ORDER BY t.mv, t.series
    ON CONFLICT ("moduleVersionId", "series") DO UPDATE SET "states" = EXCLUDED."states", "cellCount" = EXCLUDED."cellCount"`);
}

export interface StateEntry {
  kernelId: number;
  arch: string;
  status: Status;
}

/**
 * Visit each entry of one row's text, keeping only `arch` when given, without making an object per
 * entry (the check decodes thousands per version). Throws on text that does not follow the format
 * (it is only ever written by refreshVersionCellStates, so that would be a bug).
 */
export function forEachVersionCellState(text: string, arch: string | null, visit: (kernelId: number, arch: string, status: Status) => void): void {
  let groupArch = "";
  scanVersionCellStates(
    text,
    (a) => {
      groupArch = a;
      return arch === null || a === arch;
    },
    (kernelId, letter) => visit(kernelId, groupArch, STATUS_BY_CODE.get(letter)!),
  );
}

const STATUS_BY_CODE = new Map<number, Status>(STATUSES.map((st) => [st.charCodeAt(0), st]));

/**
 * Visit a row's text, or the [from, to) part of a larger text that holds it, by character codes
 * without splitting or searching past it: `group` sees each arch and says whether to visit its
 * entries, `entry` gets each kernel id with the character code of its status letter
 * (STATUS_BY_LETTER). Throws on text that does not follow the format, like forEachVersionCellState.
 */
export function scanVersionCellStates(
  text: string,
  group: (arch: string) => boolean,
  entry: (kernelId: number, letter: number) => void,
  from = 0,
  to = text.length,
): void {
  for (let i = from; i < to; ) {
    let bar = i;
    while (bar < to && text.charCodeAt(bar) !== 124 /* | */ && text.charCodeAt(bar) !== 44 /* , */) bar++;
    if (bar === i || bar >= to || text.charCodeAt(bar) !== 124) throw new Error(`VersionCellStates: arch group without "arch|": ${text.slice(i, Math.min(to, i + 40))}`);
    const visit = group(text.slice(i, bar));
    let kernelId = 0;
    let digits = false;
    let entries = 0;
    let j = bar + 1;
    for (; j < to; j++) {
      const c = text.charCodeAt(j);
      if (c === 44 /* , */) break;
      if (c >= 48 && c <= 57) {
        kernelId = kernelId * 10 + (c - 48);
        digits = true;
      } else if (c !== 32 /* space */) {
        entries += 1;
        if (!STATUS_BY_CODE.has(c) || kernelId <= 0) throw new Error(`VersionCellStates: bad entry near "${text.slice(Math.max(bar + 1, j - 8), j + 1)}"`);
        if (visit) entry(kernelId, c);
        kernelId = 0;
        digits = false;
      }
    }
    // a group ends after a status letter: not empty, no id without its letter
    if (digits || entries === 0) throw new Error(`VersionCellStates: bad entry near "${text.slice(Math.max(bar + 1, j - 8), j)}"`);
    i = j + 1;
  }
}

/**
 * Visit the kernel id of each entry of one row's text (keeping only `arch` when given) and count
 * them, without decoding anything else: a reader that decodes series only on demand first learns
 * which kernels the row names.
 */
export function forEachKernelId(text: string, arch: string | null, visit: (kernelId: number) => void): number {
  let count = 0;
  scanVersionCellStates(
    text,
    (a) => arch === null || a === arch,
    (kernelId) => {
      visit(kernelId);
      count += 1;
    },
  );
  return count;
}

/** One row's text with only `arch`'s group ("" when the row has none): what a reader of one arch keeps. */
export function onlyArch(text: string, arch: string): string {
  for (let i = 0; i < text.length; ) {
    let end = text.indexOf(",", i);
    if (end < 0) end = text.length;
    if (text.startsWith(`${arch}|`, i)) return text.slice(i, end);
    i = end + 1;
  }
  return "";
}

/** Decode one row's text into entries, keeping only `arch` when given (forEachVersionCellState). */
export function decodeVersionCellStates(text: string, arch: string | null = null): StateEntry[] {
  const out: StateEntry[] = [];
  forEachVersionCellState(text, arch, (kernelId, groupArch, status) => out.push({ kernelId, arch: groupArch, status }));
  return out;
}
