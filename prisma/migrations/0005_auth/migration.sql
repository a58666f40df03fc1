-- AlterTable
ALTER TABLE "Module" ADD COLUMN     "ownerTokenId" INTEGER;

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "admin" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "modulePatterns" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "sources" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "Source" (
    "name" TEXT NOT NULL,
    "ownerTokenId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Source_pkey" PRIMARY KEY ("name")
);


-- Data (issue 11, the documented default for what existed before scopes):
-- * existing tokens keep ingest rights: admin = false, no source list (any source they own or
--   create first), no module patterns,
-- * every source that already has runs is owned by the token of its earliest run, a source whose
--   earliest run came without a token (the demo, local loads) gets no owner: only admin tokens
--   post to it,
-- * existing modules get no owner: only an admin token changes their name, homepage, description.
INSERT INTO "Source" ("name", "ownerTokenId", "createdAt")
SELECT DISTINCT ON ("source") "source", "tokenId", "receivedAt"
FROM "Run"
ORDER BY "source", "id"
ON CONFLICT ("name") DO NOTHING;
