-- CreateTable
CREATE TABLE "KernelApi" (
    "kernel" TEXT NOT NULL,
    "symbolCount" INTEGER NOT NULL,
    "gplOnlyCount" INTEGER NOT NULL,
    "namespacedCount" INTEGER NOT NULL,
    "headerCount" INTEGER NOT NULL,
    "callableCount" INTEGER NOT NULL,
    "symbols" BYTEA NOT NULL,
    "headers" BYTEA NOT NULL,
    "callables" BYTEA NOT NULL,
    "digest" TEXT NOT NULL,
    "sourceDir" TEXT NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KernelApi_pkey" PRIMARY KEY ("kernel")
);

-- CreateTable
CREATE TABLE "Footprint" (
    "moduleVersionId" INTEGER NOT NULL,
    "kernelId" INTEGER NOT NULL,
    "arch" TEXT NOT NULL,
    "symbols" TEXT[],
    "headers" TEXT[],
    "references" TEXT[],
    "includes" TEXT[],
    "macroCalls" TEXT[],
    "licences" TEXT[],
    "importedNamespaces" TEXT[],
    "runId" INTEGER NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Footprint_pkey" PRIMARY KEY ("moduleVersionId","kernelId","arch")
);

-- CreateIndex
CREATE INDEX "Footprint_kernelId_idx" ON "Footprint"("kernelId");

