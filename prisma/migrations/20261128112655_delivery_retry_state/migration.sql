-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "maxAttempts" INTEGER,
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "DeliveryAttempt" ADD COLUMN     "providerStatus" INTEGER,
ADD COLUMN     "startedAt" TIMESTAMP(3);
