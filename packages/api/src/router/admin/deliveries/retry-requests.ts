import type { Prisma } from "@acme/db";
import { deliveryRetryEventData, deliveryRetryEventName } from "@acme/validators";

/** A request older than this with no effect on the delivery is treated as lost, so it can be asked again. */
export const RETRY_REQUEST_STALE_MS = 10 * 60_000;

type Queryable = Pick<Prisma.TransactionClient, "$queryRaw">;

export interface RetryRequest {
  outboxEventId: string;
  deliveryId: string;
  requestedBy: string;
  requestedAt: Date;
  dispatchedAt: Date | null;
}

/** Every retry request (outbox row) for one delivery, newest first: the record of who asked when. */
export function retryRequestsFor(db: Queryable, deliveryId: string): Promise<RetryRequest[]> {
  return db.$queryRaw<RetryRequest[]>`
    SELECT id AS "outboxEventId", payload->>'deliveryId' AS "deliveryId", payload->>'requestedBy' AS "requestedBy",
           "createdAt" AS "requestedAt", "dispatchedAt"
    FROM "OutboxEvent"
    WHERE name = ${deliveryRetryEventName} AND payload->>'deliveryId' = ${deliveryId}
    ORDER BY "createdAt" DESC, id DESC`;
}

/** The newest retry request of each of `deliveryIds` that has one. */
export async function latestRetryRequests(db: Queryable, deliveryIds: string[]): Promise<Map<string, RetryRequest>> {
  if (deliveryIds.length === 0) return new Map();
  const rows = await db.$queryRaw<RetryRequest[]>`
    SELECT DISTINCT ON (payload->>'deliveryId')
           id AS "outboxEventId", payload->>'deliveryId' AS "deliveryId", payload->>'requestedBy' AS "requestedBy",
           "createdAt" AS "requestedAt", "dispatchedAt"
    FROM "OutboxEvent"
    WHERE name = ${deliveryRetryEventName} AND payload->>'deliveryId' = ANY(${deliveryIds})
    ORDER BY payload->>'deliveryId', "createdAt" DESC`;
  return new Map(rows.map((row) => [row.deliveryId, row]));
}

/**
 * When the retry asked for is still waiting: the request came after the delivery last changed
 * (the retry function bumps `updatedAt` when it takes the request) and is not stale.
 */
export function pendingRetryAt(
  delivery: { updatedAt: Date },
  request: RetryRequest | undefined,
  now = new Date(),
): Date | null {
  if (!request) return null;
  if (request.requestedAt <= delivery.updatedAt) return null;
  if (now.getTime() - request.requestedAt.getTime() > RETRY_REQUEST_STALE_MS) return null;
  return request.requestedAt;
}

/** Inserts one retry event per delivery into the outbox (inside the caller's transaction). */
export async function insertRetryRequests(
  tx: Prisma.TransactionClient,
  deliveryIds: string[],
  requestedBy: string,
): Promise<{ id: string; createdAt: Date }[]> {
  if (deliveryIds.length === 0) return [];
  return tx.outboxEvent.createManyAndReturn({
    data: deliveryIds.map((deliveryId) => ({
      name: deliveryRetryEventName,
      payload: deliveryRetryEventData.parse({ deliveryId, requestedBy }),
    })),
    select: { id: true, createdAt: true },
  });
}
