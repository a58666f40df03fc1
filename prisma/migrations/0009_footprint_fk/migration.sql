-- Footprints of module versions or kernels deleted before this migration had no foreign key and
-- stayed behind: drop them, then delete footprints with their module version or kernel.
DELETE FROM "Footprint" f WHERE NOT EXISTS (SELECT 1 FROM "ModuleVersion" v WHERE v.id = f."moduleVersionId");
DELETE FROM "Footprint" f WHERE NOT EXISTS (SELECT 1 FROM "Kernel" k WHERE k.id = f."kernelId");

-- AddForeignKey
ALTER TABLE "Footprint" ADD CONSTRAINT "Footprint_moduleVersionId_fkey" FOREIGN KEY ("moduleVersionId") REFERENCES "ModuleVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Footprint" ADD CONSTRAINT "Footprint_kernelId_fkey" FOREIGN KEY ("kernelId") REFERENCES "Kernel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
