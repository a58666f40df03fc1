/**
 * Data stamps (migration 0013): what readers keep between requests is valid while the stamps it
 * was read at are the database's. A module's is `Module."dataStamp"`, which database triggers move
 * in the transaction of any change to the module's row, versions, cells or cell states; the
 * kernels' is the "kernels" row of `DataStamp`, moved by any change to a stored kernel's metadata.
 * Readers: lib/services/check/check-cache.ts, lib/services/get-matrix-compact.ts (readMatrixColumns).
 */

/** The kernels' data stamp, as an SQL expression (text). */
export const KERNELS_STAMP_SQL = `(SELECT "value"::text FROM "DataStamp" WHERE "key" = 'kernels')`;
