-- CreateTable
CREATE TABLE "VersionCellStates" (
    "moduleVersionId" INTEGER NOT NULL,
    "series" TEXT NOT NULL,
    "states" TEXT NOT NULL,
    "cellCount" INTEGER NOT NULL,

    CONSTRAINT "VersionCellStates_pkey" PRIMARY KEY ("moduleVersionId","series")
);

-- AddForeignKey
ALTER TABLE "VersionCellStates" ADD CONSTRAINT "VersionCellStates_moduleVersionId_fkey" FOREIGN KEY ("moduleVersionId") REFERENCES "ModuleVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill from the cells already stored (the statement of lib/services/version-cell-states.ts for every row).
INSERT INTO "VersionCellStates" ("moduleVersionId", "series", "states", "cellCount")
SELECT mv, series, string_agg(arch || '|' || list, ',' ORDER BY arch), sum(n)::int
FROM (
  SELECT c."moduleVersionId" AS mv, k.series, c.arch, string_agg(c."kernelId"::text || left(c.status, 1), ' ' ORDER BY c."kernelId") AS list, count(*) AS n
  FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId"
  GROUP BY c."moduleVersionId", k.series, c.arch
) per_arch
GROUP BY mv, series;
