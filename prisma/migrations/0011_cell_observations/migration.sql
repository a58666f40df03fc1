-- Detection's summary of each cell (issue 14): regression detection reads cells, not results.
-- Existing rows start unobserved (observed = false): readers compute them from their results
-- (lib/services/regressions/load-grid-cells.ts) and `modcompat db reindex` fills them all.
ALTER TABLE "Cell" ADD COLUMN "observed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "obsState" TEXT,
ADD COLUMN "firstFailId" INTEGER,
ADD COLUMN "firstFailRunId" INTEGER,
ADD COLUMN "firstFailAt" TIMESTAMP(3),
ADD COLUMN "firstFailError" TEXT,
ADD COLUMN "firstPassId" INTEGER,
ADD COLUMN "firstPassRunId" INTEGER,
ADD COLUMN "firstPassAt" TIMESTAMP(3);
