-- sortKey/seriesKey use the C collation: they are byte-ordered keys built by lib/domain, and a
-- locale collation would reorder them.
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Module" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "homepage" TEXT,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Module_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModuleVersion" (
    "id" SERIAL NOT NULL,
    "moduleId" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "sortKey" TEXT COLLATE "C" NOT NULL,
    "releasedAt" TIMESTAMP(3),
    "declaredKernelMin" TEXT,
    "declaredKernelMax" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModuleVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Kernel" (
    "id" SERIAL NOT NULL,
    "version" TEXT NOT NULL,
    "sortKey" TEXT COLLATE "C" NOT NULL,
    "base" TEXT NOT NULL,
    "series" TEXT NOT NULL,
    "seriesKey" TEXT COLLATE "C" NOT NULL,
    "major" INTEGER NOT NULL,
    "minor" INTEGER NOT NULL,
    "patch" INTEGER,
    "rc" INTEGER,
    "distro" TEXT NOT NULL,
    "distroRelease" TEXT,
    "flavour" TEXT,
    "releasedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Kernel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Run" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "url" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "arch" TEXT,
    "compiler" TEXT,
    "distro" TEXT,
    "host" TEXT,
    "meta" JSONB,
    "resultCount" INTEGER NOT NULL,
    "bodyHash" TEXT NOT NULL,
    "summary" JSONB NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "tokenId" INTEGER,

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Result" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "moduleVersionId" INTEGER NOT NULL,
    "kernelId" INTEGER NOT NULL,
    "arch" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "durationMs" INTEGER,
    "logExcerpt" TEXT,
    "logTruncated" BOOLEAN NOT NULL DEFAULT false,
    "logUrl" TEXT,
    "errorLine" TEXT,
    "compiler" TEXT,
    "finishedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Result_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Cell" (
    "moduleVersionId" INTEGER NOT NULL,
    "kernelId" INTEGER NOT NULL,
    "arch" TEXT NOT NULL,
    "moduleId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "stages" JSONB NOT NULL,
    "passCount" INTEGER NOT NULL,
    "failCount" INTEGER NOT NULL,
    "errorCount" INTEGER NOT NULL,
    "skipCount" INTEGER NOT NULL,
    "lastResultId" INTEGER NOT NULL,
    "lastResultAt" TIMESTAMP(3) NOT NULL,
    "errorLine" TEXT,
    "logUrl" TEXT,

    CONSTRAINT "Cell_pkey" PRIMARY KEY ("moduleVersionId","kernelId","arch")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Module_slug_key" ON "Module"("slug");

-- CreateIndex
CREATE INDEX "ModuleVersion_moduleId_sortKey_idx" ON "ModuleVersion"("moduleId", "sortKey");

-- CreateIndex
CREATE UNIQUE INDEX "ModuleVersion_moduleId_version_key" ON "ModuleVersion"("moduleId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Kernel_version_key" ON "Kernel"("version");

-- CreateIndex
CREATE INDEX "Kernel_sortKey_idx" ON "Kernel"("sortKey");

-- CreateIndex
CREATE INDEX "Kernel_series_idx" ON "Kernel"("series");

-- CreateIndex
CREATE UNIQUE INDEX "Run_source_externalId_key" ON "Run"("source", "externalId");

-- CreateIndex
CREATE INDEX "Result_moduleVersionId_kernelId_arch_idx" ON "Result"("moduleVersionId", "kernelId", "arch");

-- CreateIndex
CREATE INDEX "Result_kernelId_idx" ON "Result"("kernelId");

-- CreateIndex
CREATE INDEX "Result_runId_idx" ON "Result"("runId");

-- CreateIndex
CREATE INDEX "Cell_moduleId_idx" ON "Cell"("moduleId");

-- CreateIndex
CREATE INDEX "Cell_kernelId_idx" ON "Cell"("kernelId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_name_key" ON "ApiToken"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_hash_key" ON "ApiToken"("hash");

-- AddForeignKey
ALTER TABLE "ModuleVersion" ADD CONSTRAINT "ModuleVersion_moduleId_fkey" FOREIGN KEY ("moduleId") REFERENCES "Module"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Result" ADD CONSTRAINT "Result_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Result" ADD CONSTRAINT "Result_moduleVersionId_fkey" FOREIGN KEY ("moduleVersionId") REFERENCES "ModuleVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Result" ADD CONSTRAINT "Result_kernelId_fkey" FOREIGN KEY ("kernelId") REFERENCES "Kernel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cell" ADD CONSTRAINT "Cell_moduleVersionId_fkey" FOREIGN KEY ("moduleVersionId") REFERENCES "ModuleVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cell" ADD CONSTRAINT "Cell_kernelId_fkey" FOREIGN KEY ("kernelId") REFERENCES "Kernel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cell" ADD CONSTRAINT "Cell_moduleId_fkey" FOREIGN KEY ("moduleId") REFERENCES "Module"("id") ON DELETE CASCADE ON UPDATE CASCADE;

