-- CreateEnum
CREATE TYPE "AccountEventKind" AS ENUM ('profile_updated', 'profile_reverted', 'password_changed', 'password_reset', 'password_reset_requested', 'admin_granted', 'admin_revoked', 'push_device_added');

-- AlterTable
ALTER TABLE "ProfileChange" ADD COLUMN     "confirmedAt" TIMESTAMP(3),
ADD COLUMN     "details" JSONB,
ADD COLUMN     "kind" "AccountEventKind" NOT NULL DEFAULT 'profile_updated',
ADD COLUMN     "reportedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "ProfileChange_reportedAt_idx" ON "ProfileChange"("reportedAt");
