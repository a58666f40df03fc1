import { pgRead } from "../db/client";

/** A stored kernel as the matrix readers use it (releasedAt as UTC ISO text). */
export interface KernelRow {
  id: number;
  version: string;
  sortKey: string;
  series: string;
  seriesKey: string;
  distro: string;
  flavour: string | null;
  rc: number | null;
  prerelease: boolean;
  upstreamVersion: string | null;
  releasedAt: string | null;
  releasedAtSource: string | null;
}

/**
 * Kernel rows by id, kept per process while the kernels' data stamp holds (migration 0013: any
 * change to a stored kernel's metadata moves it; a new kernel does not, and is read the first time
 * it is named). So a matrix read for a module whose kernels were seen before needs no statement for
 * them. Bounded: past MAX_ROWS the dictionary starts again. One per process (globalThis), not per
 * bundled copy of this file.
 */
const MAX_ROWS = 200_000;
const g = globalThis as unknown as { __modcompatKernelRows?: { stamp: string | null; rows: Map<number, KernelRow> } };
const kept = (g.__modcompatKernelRows ??= { stamp: null, rows: new Map() });

/** Forget the kept rows, as a fresh process would (benchmarks of the uncached path use it). */
export function forgetKernelRows(): void {
  kept.stamp = null;
  kept.rows.clear();
}

/**
 * The rows of `ids` that exist, in kernel order (sortKey, then id), read at the kernels' stamp
 * `kernelsStamp` (read by the caller in the statement whose data names these ids).
 */
export async function kernelRowsOf(ids: Iterable<number>, kernelsStamp: string): Promise<KernelRow[]> {
  if (kept.stamp !== kernelsStamp || kept.rows.size > MAX_ROWS) {
    kept.rows.clear();
    kept.stamp = kernelsStamp;
  }
  const missing: number[] = [];
  for (const id of ids) if (!kept.rows.has(id)) missing.push(id);
  if (missing.length > 0) {
    const rows = await pgRead<KernelRow & { stamp: string | null }>(
      `SELECT id, version, "sortKey", series, "seriesKey", distro, flavour, rc, prerelease, "upstreamVersion",
              to_char("releasedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "releasedAt", "releasedAtSource",
              (SELECT "value"::text FROM "DataStamp" WHERE "key" = 'kernels') AS stamp
       FROM "Kernel" WHERE id = ANY($1::int[])`,
      [missing],
    );
    // Rows read at another stamp than the caller's are not kept (a kernel changed in between).
    const same = rows.every((r) => r.stamp === kernelsStamp) && kept.stamp === kernelsStamp;
    const out = new Map<number, KernelRow>();
    for (const r of rows) {
      delete (r as { stamp?: string | null }).stamp;
      out.set(r.id, r);
      if (same) kept.rows.set(r.id, r);
    }
    return collect(ids, (id) => out.get(id) ?? kept.rows.get(id));
  }
  return collect(ids, (id) => kept.rows.get(id));
}

function collect(ids: Iterable<number>, get: (id: number) => KernelRow | undefined): KernelRow[] {
  const out: KernelRow[] = [];
  for (const id of ids) {
    const r = get(id);
    if (r) out.push(r);
  }
  return out.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.id - b.id));
}
