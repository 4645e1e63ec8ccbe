import type { Database, Prisma } from "@acme/db";
import { isRetryable } from "@acme/validators";
import { maskTarget } from "../presenters";
import { pendingRetries } from "./retry-requests";

// The one delivery view-model: the history rows, the delivery page and the change page all build
// their deliveries from it, so a delivery reads the same wherever an admin meets it.

/** The columns the view needs; callers add relations (user, content, attempts) to it. */
export const deliveryViewSelect = {
  id: true,
  channel: true,
  status: true,
  target: true,
  attempts: true,
  maxAttempts: true,
  nextAttemptAt: true,
  generation: true,
  lastError: true,
  eventId: true,
  runId: true,
  createdAt: true,
  updatedAt: true,
  sentAt: true,
} satisfies Prisma.DeliverySelect;

export type DeliveryRecord = Prisma.DeliveryGetPayload<{ select: typeof deliveryViewSelect }>;

/** What the view needs beyond the row: retries waiting, and tries made in each delivery's current run. */
export interface DeliveryFacts {
  retryRequestedAt: ReadonlyMap<string, Date>;
  triesThisRun: ReadonlyMap<string, number>;
}

/** A try failed for a reason worth retrying, and the run will try again. */
export function isRetrying(record: Pick<DeliveryRecord, "status" | "lastError">): boolean {
  return record.status === "queued" && record.lastError !== null;
}

/** Two small look-ups, each only for the rows that need it (retryable ones, retrying ones). */
export async function loadDeliveryFacts(db: Database, records: DeliveryRecord[]): Promise<DeliveryFacts> {
  const retrying = records.filter(isRetrying);
  const [retryRequestedAt, tries] = await Promise.all([
    pendingRetries(
      db,
      records.filter((r) => isRetryable(r.status)).map((r) => r.id),
    ),
    retrying.length === 0
      ? []
      : db.deliveryAttempt.groupBy({
          by: ["deliveryId", "runId"],
          where: { deliveryId: { in: retrying.map((r) => r.id) } },
          _count: { _all: true },
        }),
  ]);
  const runOf = new Map(retrying.map((r) => [r.id, r.runId]));
  const triesThisRun = new Map<string, number>();
  for (const group of tries) {
    if (group.runId === runOf.get(group.deliveryId)) triesThisRun.set(group.deliveryId, group._count._all);
  }
  return { retryRequestedAt, triesThisRun };
}

export function toDeliveryView(record: DeliveryRecord, facts: DeliveryFacts) {
  const retryable = isRetryable(record.status);
  return {
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
    /** Waiting for its next try: which one, out of how many the run allows, and when if the provider said. */
    retrying: isRetrying(record)
      ? {
          nextAttempt: (facts.triesThisRun.get(record.id) ?? 0) + 1,
          maxAttempts: record.maxAttempts,
          nextAttemptAt: record.nextAttemptAt,
        }
      : null,
    retryable,
    retryRequestedAt: retryable ? (facts.retryRequestedAt.get(record.id) ?? null) : null,
  };
}

export type DeliveryView = ReturnType<typeof toDeliveryView>;
