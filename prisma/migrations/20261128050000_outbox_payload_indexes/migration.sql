-- Hand-written: Prisma's schema language cannot declare expression indexes.
-- Admin look-ups of an outbox event by the change or delivery it is about.
CREATE INDEX "OutboxEvent_changeId_idx" ON "OutboxEvent" ((payload->>'changeId')) WHERE name = 'user/profile.updated';
CREATE INDEX "OutboxEvent_deliveryId_idx" ON "OutboxEvent" ((payload->>'deliveryId')) WHERE name = 'notification/delivery.retry';
