-- CreateEnum
CREATE TYPE "AdminRoleAction" AS ENUM ('granted', 'revoked');

-- CreateEnum
CREATE TYPE "AdminRoleSource" AS ENUM ('admin_page', 'command_line');

-- CreateTable
CREATE TABLE "AdminRoleChange" (
    "id" TEXT NOT NULL,
    "action" "AdminRoleAction" NOT NULL,
    "source" "AdminRoleSource" NOT NULL,
    "targetId" TEXT,
    "targetEmail" TEXT NOT NULL,
    "actorId" TEXT,
    "actorEmail" TEXT,
    "ipAddress" TEXT,
    "userAgent" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminRoleChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AdminRoleChange_createdAt_idx" ON "AdminRoleChange"("createdAt" DESC);

-- CreateIndex
CREATE INDEX "AdminRoleChange_targetId_idx" ON "AdminRoleChange"("targetId");

-- AddForeignKey
ALTER TABLE "AdminRoleChange" ADD CONSTRAINT "AdminRoleChange_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdminRoleChange" ADD CONSTRAINT "AdminRoleChange_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
