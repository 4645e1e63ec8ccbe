import type { Database, Prisma } from "@acme/db";
import { maskTarget } from "../presenters";
import { isRetryable } from "@acme/validators";
import { pendingRetries } from "./retry-requests";

/** What a history row needs, and nothing more (no content: that can be large). */
export const deliveryRowSelect = {
  id: true,
  channel: true,
  status: true,
  target: true,
  attempts: true,
  generation: true,
  lastError: true,
  eventId: true,
  runId: true,
  createdAt: true,
  updatedAt: true,
  sentAt: true,
  user: { select: { id: true, email: true, username: true } },
  profileChange: { select: { id: true, changedFields: true, createdAt: true } },
} satisfies Prisma.DeliverySelect;

type DeliveryRowRecord = Prisma.DeliveryGetPayload<{ select: typeof deliveryRowSelect }>;

/** History rows as admins see them: masked target, and whether a retry is waiting. */
export async function toDeliveryRows(db: Database, records: DeliveryRowRecord[]) {
  // Only rows that can be retried can have a retry waiting; skip the lookup otherwise.
  const pending = await pendingRetries(
    db,
    records.filter((r) => isRetryable(r.status)).map((r) => r.id),
  );
  return records.map((record) => ({
    id: record.id,
    channel: record.channel,
    status: record.status,
    target: maskTarget(record.channel, record.target),
    attempts: record.attempts,
    generation: record.generation,
    lastError: record.lastError,
    eventId: record.eventId,
    runId: record.runId,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    sentAt: record.sentAt,
    user: record.user,
    change: {
      id: record.profileChange.id,
      changedFields: record.profileChange.changedFields,
      createdAt: record.profileChange.createdAt,
    },
    retryable: isRetryable(record.status),
    retryRequestedAt: isRetryable(record.status) ? (pending.get(record.id) ?? null) : null,
  }));
}

export type DeliveryRow = Awaited<ReturnType<typeof toDeliveryRows>>[number];
