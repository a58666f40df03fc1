-- AlterTable
ALTER TABLE "ModuleVersion" ADD COLUMN     "releasedAtSource" TEXT;

-- AlterTable
ALTER TABLE "Kernel" ADD COLUMN     "package" TEXT,
ADD COLUMN     "packageVersion" TEXT,
ADD COLUMN     "prerelease" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "releasedAtSource" TEXT,
ADD COLUMN     "upstreamVersion" TEXT;

-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "fixedSeenAt" TIMESTAMP(3),
ADD COLUMN     "openedAtBasis" TEXT NOT NULL DEFAULT 'seen',
ADD COLUMN     "openedSeenAt" TIMESTAMP(3);

-- Release candidates already stored are upcoming kernels (lib/domain/kernel-release.ts isUpcoming).
UPDATE "Kernel" SET "prerelease" = true WHERE "rc" IS NOT NULL;
