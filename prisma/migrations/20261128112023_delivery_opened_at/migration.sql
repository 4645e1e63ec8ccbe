-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Existing deliveries began their attempts when they were created.
UPDATE "Delivery" SET "openedAt" = "createdAt";
