import type { Database, Prisma } from "@acme/db";
import { deliveryRetryEventData, deliveryRetryEventName } from "@acme/validators";

type Client = Pick<Database, "deliveryRetryRequest" | "outboxEvent"> | Prisma.TransactionClient;

/** When each of `deliveryIds` has a retry waiting for the retry function, keyed by delivery. */
export async function pendingRetries(db: Client, deliveryIds: string[]): Promise<Map<string, Date>> {
  if (deliveryIds.length === 0) return new Map();
  const pending = await db.deliveryRetryRequest.findMany({
    where: { deliveryId: { in: deliveryIds }, takenAt: null },
    select: { deliveryId: true, requestedAt: true },
    orderBy: { requestedAt: "desc" },
  });
  const byDelivery = new Map<string, Date>();
  for (const request of pending)
    if (!byDelivery.has(request.deliveryId)) byDelivery.set(request.deliveryId, request.requestedAt);
  return byDelivery;
}

/** Every retry request of one delivery, newest first, with who asked and whether its event left the outbox. */
export async function retryRequestsFor(db: Client, deliveryId: string) {
  const requests = await db.deliveryRetryRequest.findMany({
    where: { deliveryId },
    orderBy: [{ requestedAt: "desc" }, { id: "desc" }],
    include: { requestedBy: { select: { id: true, email: true, username: true } } },
  });
  const events = await db.outboxEvent.findMany({
    where: { subjectId: { in: requests.map((r) => r.id) } },
    select: { id: true, subjectId: true, dispatchedAt: true },
  });
  const eventBySubject = new Map(events.map((event) => [event.subjectId, event]));
  return requests.map((request) => ({
    id: request.id,
    requestedAt: request.requestedAt,
    requestedBy: request.requestedBy,
    takenAt: request.takenAt,
    reopened: request.reopened,
    runId: request.runId,
    outboxEventId: eventBySubject.get(request.id)?.id ?? null,
    dispatchedAt: eventBySubject.get(request.id)?.dispatchedAt ?? null,
  }));
}

/** One retry request per delivery and the outbox event that carries it (inside the caller's transaction). */
export async function insertRetryRequests(
  tx: Prisma.TransactionClient,
  deliveryIds: string[],
  requestedBy: string,
): Promise<{ requestId: string; outboxEventId: string; requestedAt: Date }[]> {
  if (deliveryIds.length === 0) return [];
  const requests = await tx.deliveryRetryRequest.createManyAndReturn({
    data: deliveryIds.map((deliveryId) => ({ deliveryId, requestedById: requestedBy })),
    select: { id: true, deliveryId: true, requestedAt: true },
  });
  const events = await tx.outboxEvent.createManyAndReturn({
    data: requests.map((request) => ({
      name: deliveryRetryEventName,
      subjectId: request.id,
      payload: deliveryRetryEventData.parse({ requestId: request.id, deliveryId: request.deliveryId, requestedBy }),
    })),
    select: { id: true, subjectId: true },
  });
  const eventBySubject = new Map(events.map((event) => [event.subjectId, event.id]));
  return requests.map((request) => ({
    requestId: request.id,
    outboxEventId: eventBySubject.get(request.id)!,
    requestedAt: request.requestedAt,
  }));
}
