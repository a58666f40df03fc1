-- Prisma's driver-adapter migrate splits a script at every semicolon: function bodies are E'' strings
-- with \073 for theirs, and no comment here holds one.
-- Data stamps for what readers keep between requests (lib/services/check/check-cache.ts): a module's
-- stamp changes in the same transaction as anything a check or a page of that module reads (its
-- row, its versions, their cells and cell states), and the kernels' stamp whenever a stored
-- kernel's metadata changes. Kept answers are valid while their stamps are: an ingest into one
-- module no longer empties what is kept for the others, and a stamp cannot miss a commit (the
-- highest Result id, the stamp before, stayed the same when an ingest that had taken lower ids
-- committed after one that took higher ones). Set by triggers, so no writer can forget them.
CREATE SEQUENCE "data_stamp_seq";

ALTER TABLE "Module" ADD COLUMN "dataStamp" BIGINT NOT NULL DEFAULT 0;

CREATE TABLE "DataStamp" (
    "key" TEXT NOT NULL,
    "value" BIGINT NOT NULL,
    CONSTRAINT "DataStamp_pkey" PRIMARY KEY ("key")
);
INSERT INTO "DataStamp" ("key", "value") VALUES ('kernels', 0);

-- Any change to a module's row moves its stamp (an explicit stamp update is kept as it is).
CREATE FUNCTION modcompat_module_row_stamp() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN IF NEW."dataStamp" = OLD."dataStamp" THEN NEW."dataStamp" := nextval(''data_stamp_seq'')\073 END IF\073 RETURN NEW\073 END';
CREATE TRIGGER "Module_stamp" BEFORE UPDATE ON "Module" FOR EACH ROW EXECUTE FUNCTION modcompat_module_row_stamp();

-- Rows of a module's tables changed by a statement: once per statement, not per row.
CREATE FUNCTION modcompat_stamp_modules_of_cells() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN UPDATE "Module" SET "dataStamp" = nextval(''data_stamp_seq'') WHERE id IN (SELECT DISTINCT "moduleId" FROM changed)\073 RETURN NULL\073 END';
CREATE TRIGGER "Cell_stamp_insert" AFTER INSERT ON "Cell" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION modcompat_stamp_modules_of_cells();
CREATE TRIGGER "Cell_stamp_update" AFTER UPDATE ON "Cell" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION modcompat_stamp_modules_of_cells();
CREATE TRIGGER "Cell_stamp_delete" AFTER DELETE ON "Cell" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION modcompat_stamp_modules_of_cells();
CREATE TRIGGER "ModuleVersion_stamp_insert" AFTER INSERT ON "ModuleVersion" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION modcompat_stamp_modules_of_cells();
CREATE TRIGGER "ModuleVersion_stamp_update" AFTER UPDATE ON "ModuleVersion" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION modcompat_stamp_modules_of_cells();
CREATE TRIGGER "ModuleVersion_stamp_delete" AFTER DELETE ON "ModuleVersion" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION modcompat_stamp_modules_of_cells();

CREATE FUNCTION modcompat_stamp_modules_of_states() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN UPDATE "Module" SET "dataStamp" = nextval(''data_stamp_seq'') WHERE id IN (SELECT DISTINCT v."moduleId" FROM changed c JOIN "ModuleVersion" v ON v.id = c."moduleVersionId")\073 RETURN NULL\073 END';
CREATE TRIGGER "VersionCellStates_stamp_insert" AFTER INSERT ON "VersionCellStates" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION modcompat_stamp_modules_of_states();
CREATE TRIGGER "VersionCellStates_stamp_update" AFTER UPDATE ON "VersionCellStates" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION modcompat_stamp_modules_of_states();
CREATE TRIGGER "VersionCellStates_stamp_delete" AFTER DELETE ON "VersionCellStates" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION modcompat_stamp_modules_of_states();

-- A stored kernel's metadata (its reported Linux version, date, package) is read by checks of any
-- module: a change moves the kernels' stamp. New kernels do not (no kept answer cites a kernel
-- before it exists, and the check reads its target's row every time), so ingests creating kernels
-- do not queue on this row.
CREATE FUNCTION modcompat_stamp_kernels() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN UPDATE "DataStamp" SET "value" = nextval(''data_stamp_seq'') WHERE "key" = ''kernels''\073 RETURN NULL\073 END';
CREATE TRIGGER "Kernel_stamp" AFTER UPDATE ON "Kernel" FOR EACH ROW
  WHEN (OLD."upstreamVersion" IS DISTINCT FROM NEW."upstreamVersion" OR OLD."releasedAt" IS DISTINCT FROM NEW."releasedAt"
        OR OLD."releasedAtSource" IS DISTINCT FROM NEW."releasedAtSource" OR OLD.prerelease IS DISTINCT FROM NEW.prerelease
        OR OLD.package IS DISTINCT FROM NEW.package OR OLD."packageVersion" IS DISTINCT FROM NEW."packageVersion"
        OR OLD.version IS DISTINCT FROM NEW.version)
  EXECUTE FUNCTION modcompat_stamp_kernels();
-- A deleted kernel takes its cells with it (their trigger moves the modules' stamps).
