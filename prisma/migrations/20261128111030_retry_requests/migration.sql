-- AlterTable
ALTER TABLE "OutboxEvent" ADD COLUMN     "subjectId" TEXT;

-- CreateTable
CREATE TABLE "DeliveryRetryRequest" (
    "id" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "requestedById" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "takenAt" TIMESTAMP(3),
    "reopened" BOOLEAN,
    "runId" TEXT,

    CONSTRAINT "DeliveryRetryRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeliveryRetryRequest_deliveryId_requestedAt_idx" ON "DeliveryRetryRequest"("deliveryId", "requestedAt" DESC);

-- CreateIndex
CREATE INDEX "OutboxEvent_subjectId_idx" ON "OutboxEvent"("subjectId");

-- AddForeignKey
ALTER TABLE "DeliveryRetryRequest" ADD CONSTRAINT "DeliveryRetryRequest_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "Delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryRetryRequest" ADD CONSTRAINT "DeliveryRetryRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written data move: each existing event's subject, and the admin retry requests that until now
-- lived only as outbox rows (a request counts as taken once its delivery changed after it, or after
-- 10 minutes, as the old rule derived it). Backfilled requests keep their outbox row's id.
UPDATE "OutboxEvent" SET "subjectId" = payload->>'changeId' WHERE name = 'user/profile.updated';

INSERT INTO "DeliveryRetryRequest" ("id", "deliveryId", "requestedById", "requestedAt", "takenAt")
SELECT o."id", d."id", u."id", o."createdAt",
       CASE WHEN d."updatedAt" >= o."createdAt" OR o."createdAt" < now() - interval '10 minutes'
            THEN GREATEST(d."updatedAt", o."createdAt") END
FROM "OutboxEvent" o
JOIN "Delivery" d ON d."id" = o.payload->>'deliveryId'
LEFT JOIN "User" u ON u."id" = o.payload->>'requestedBy'
WHERE o.name = 'notification/delivery.retry';

UPDATE "OutboxEvent" SET "subjectId" = "id" WHERE name = 'notification/delivery.retry';

-- Look-ups now go through "subjectId"; the expression indexes on the payload are no longer used.
DROP INDEX IF EXISTS "OutboxEvent_changeId_idx";
DROP INDEX IF EXISTS "OutboxEvent_deliveryId_idx";
