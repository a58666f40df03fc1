-- Cell.moduleId is a copy of its version's module (ModuleVersion.moduleId), kept so that a module's
-- cells are read by one index. Its foreign key was checked for every cell the ingest writes (5,000
-- lookups of Module per 5,000-result batch, about 20-25 ms of its 250-270 ms statement, issue 14) and
-- guarded nothing the version's key does not: deleting a module deletes its versions, and with them
-- their cells (Cell_moduleVersionId_fkey, ON DELETE CASCADE).
ALTER TABLE "Cell" DROP CONSTRAINT IF EXISTS "Cell_moduleId_fkey";
