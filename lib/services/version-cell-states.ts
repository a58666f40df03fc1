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
 * The rows (mv, series, states, cellCount) of `entries` (a relation with columns mv, series, arch,
 * kid, letter: one cell each): the format's one order and aggregates, arches in byte order, then
 * kernel ids.
 */
const statesOf = (entries: Prisma.Sql) => Prisma.sql`
    SELECT mv, series, string_agg(arch || '|' || list, ',' ORDER BY arch) AS states, sum(n)::int AS "cellCount"
    FROM (
      SELECT mv, series, arch, string_agg(kid::text || letter, ' ' ORDER BY kid) AS list, count(*) AS n
      FROM (${entries}) e
      GROUP BY mv, series, arch
    ) per_arch
    GROUP BY mv, series`;

/**
 * The rows (mv, series, states, cellCount) that Cell implies for the version × series pairs of
 * `touched` (a relation with columns mv, series): what `db reindex --check` compares the stored rows
 * with (reindex.ts). refreshVersionCellStates writes the same aggregates (statesOf).
 */
export const expectedStatesSql = (touched: Prisma.Sql) =>
  statesOf(Prisma.sql`
    SELECT t.mv, t.series, c.arch, c."kernelId" AS kid, left(c.status, 1) AS letter
    FROM (${touched}) t JOIN "Kernel" k ON k.series = t.series JOIN "Cell" c ON c."moduleVersionId" = t.mv AND c."kernelId" = k.id`);

/**
 * Bring the rows (version × series) that hold the given cells up to date with Cell. A row's other
 * entries are as stored (the rows never disagree with Cell), so each touched row keeps its stored
 * entries but those of the given cells (version × kernel, any arch), takes the given cells' rows
 * from Cell by primary key, and is written again in the format's one order (statesOf: the same
 * aggregates as expectedStatesSql, which `db reindex --check` compares it with). The work
 * is the touched rows' text and the given cells, not every cell of the version on the series: a
 * rebuild from Cell read each of those (and its kernel) at every batch, so a version with a long
 * history on one series paid for all of it (issue 14; under `npm run load` this statement went from
 * 1.3 to 2.9 ms a call in two minutes). Before that, a join of the whole series' kernels once
 * planned a 1.1 M-row sequential scan of Cell.
 */
export async function refreshVersionCellStates(tx: SqlTarget, cells: readonly { moduleVersionId: number; kernelId: number }[]): Promise<void> {
  if (cells.length === 0) return;
  const pairs = [...new Map(cells.map((c) => [`${c.moduleVersionId}:${c.kernelId}`, c])).values()];
  await sql(tx, Prisma.sql`
    WITH pairs AS MATERIALIZED (
      SELECT u.mv, u.k, k.series FROM unnest(${pairs.map((p) => p.moduleVersionId)}::int[], ${pairs.map((p) => p.kernelId)}::int[]) AS u(mv, k)
      JOIN "Kernel" k ON k.id = u.k
    ), touched AS MATERIALIZED (
      SELECT DISTINCT mv, series FROM pairs
    ), entries AS (
      SELECT t.mv, t.series, split_part(g.grp, '|', 1) AS arch, left(e.entry, -1)::int AS kid, right(e.entry, 1) AS letter
      FROM touched t JOIN "VersionCellStates" s ON s."moduleVersionId" = t.mv AND s.series = t.series
      CROSS JOIN LATERAL unnest(string_to_array(s.states, ',')) AS g(grp)
      CROSS JOIN LATERAL unnest(string_to_array(split_part(g.grp, '|', 2), ' ')) AS e(entry)
      WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.mv = t.mv AND p.k = left(e.entry, -1)::int)
      UNION ALL
      SELECT p.mv, p.series, c.arch, c."kernelId", left(c.status, 1)
      FROM pairs p JOIN "Cell" c ON c."moduleVersionId" = p.mv AND c."kernelId" = p.k
    )
    INSERT INTO "VersionCellStates" ("moduleVersionId", "series", "states", "cellCount")
    SELECT mv, series, states, "cellCount" FROM (${statesOf(Prisma.sql`SELECT * FROM entries`)}) x
    ORDER BY mv, series
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
