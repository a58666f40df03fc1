-- Incident detection by indexed lookups instead of reading whole grids (issue 14): each cell
-- carries its kernel's line and sort key, so a version's cells along one line are an index range,
-- and the failing cell of every pass → fail step of a version's walk along its line names the last
-- good kernel (lib/domain/regressions.ts regressionSteps).
-- Kernel.line is kernelLine(version) (lib/services/stored-keys.ts kernelColumns). Existing rows
-- start unwalked (walked = false, Kernel.line NULL): the first ingest that detects incidents of
-- their module walks it whole, once (lib/services/regressions/cell-walks.ts walkModule), and
-- `modcompat db reindex` rebuilds them all.
ALTER TABLE "Kernel" ADD COLUMN "line" TEXT;

ALTER TABLE "Cell" ADD COLUMN "line" TEXT,
ADD COLUMN "kernelKey" TEXT,
ADD COLUMN "lastGoodKernelId" INTEGER,
ADD COLUMN "walked" BOOLEAN NOT NULL DEFAULT false;

-- A version's first pass, or first fail, after a kernel on one arch × line: one index descent.
CREATE INDEX "Cell_walk_idx" ON "Cell" ("moduleVersionId", "arch", "line", "obsState", "kernelKey") WHERE "obsState" IN ('pass', 'fail');
-- The regression steps of one module's grid.
CREATE INDEX "Cell_steps_idx" ON "Cell" ("moduleId", "arch", "line") WHERE "lastGoodKernelId" IS NOT NULL;
-- Modules with cells still to observe or walk (regressions/detect-grid-incidents.ts ensureWalked).
CREATE INDEX "Cell_unwalked_idx" ON "Cell" ("moduleId") WHERE NOT ("walked" AND "observed");
