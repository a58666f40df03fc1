-- CreateTable
CREATE TABLE "SourceScan" (
    "moduleVersionId" INTEGER NOT NULL,
    "calls" TEXT[],
    "source" TEXT NOT NULL,
    "sourceDigest" TEXT NOT NULL,
    "scannedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SourceScan_pkey" PRIMARY KEY ("moduleVersionId")
);

-- AddForeignKey
ALTER TABLE "SourceScan" ADD CONSTRAINT "SourceScan_moduleVersionId_fkey" FOREIGN KEY ("moduleVersionId") REFERENCES "ModuleVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

