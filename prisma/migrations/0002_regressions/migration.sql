-- CreateTable
CREATE TABLE "Incident" (
    "id" SERIAL NOT NULL,
    "moduleId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "arch" TEXT NOT NULL,
    "line" TEXT NOT NULL,
    "lastGoodKernelId" INTEGER NOT NULL,
    "firstBadKernelId" INTEGER NOT NULL,
    "series" TEXT NOT NULL,
    "seriesKey" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "errorLine" TEXT,
    "signature" TEXT,
    "signatureKind" TEXT,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "openedResultId" INTEGER NOT NULL,
    "fixedInVersionId" INTEGER,
    "fixedInKernelId" INTEGER,
    "fixedAt" TIMESTAMP(3),
    "fixedAtBasis" TEXT,
    "fixedResultId" INTEGER,
    "fixedOnSnapshotVersionId" INTEGER,
    "fixedOnSnapshotAt" TIMESTAMP(3),
    "timeToFixDays" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentVersion" (
    "incidentId" INTEGER NOT NULL,
    "moduleVersionId" INTEGER NOT NULL,

    CONSTRAINT "IncidentVersion_pkey" PRIMARY KEY ("incidentId","moduleVersionId")
);

-- CreateIndex
CREATE INDEX "Incident_status_openedAt_idx" ON "Incident"("status", "openedAt");

-- CreateIndex
CREATE INDEX "Incident_signature_idx" ON "Incident"("signature");

-- CreateIndex
CREATE INDEX "Incident_seriesKey_idx" ON "Incident"("seriesKey");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_moduleId_key_key" ON "Incident"("moduleId", "key");

-- CreateIndex
CREATE INDEX "IncidentVersion_moduleVersionId_idx" ON "IncidentVersion"("moduleVersionId");

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_moduleId_fkey" FOREIGN KEY ("moduleId") REFERENCES "Module"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_lastGoodKernelId_fkey" FOREIGN KEY ("lastGoodKernelId") REFERENCES "Kernel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_firstBadKernelId_fkey" FOREIGN KEY ("firstBadKernelId") REFERENCES "Kernel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_fixedInVersionId_fkey" FOREIGN KEY ("fixedInVersionId") REFERENCES "ModuleVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_fixedInKernelId_fkey" FOREIGN KEY ("fixedInKernelId") REFERENCES "Kernel"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_fixedOnSnapshotVersionId_fkey" FOREIGN KEY ("fixedOnSnapshotVersionId") REFERENCES "ModuleVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentVersion" ADD CONSTRAINT "IncidentVersion_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentVersion" ADD CONSTRAINT "IncidentVersion_moduleVersionId_fkey" FOREIGN KEY ("moduleVersionId") REFERENCES "ModuleVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

