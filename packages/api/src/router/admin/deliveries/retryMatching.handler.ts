import { TRPCError } from "@trpc/server";
import type { DeliveryStatus } from "@acme/db";
import type { z } from "zod";
import { isRetryable } from "@acme/validators";
import type { AdminContext } from "../types";
import { deliveryWhere, newestFirst } from "./filters";
import { insertRetryRequests, pendingRetries } from "./retry-requests";
import type { retryMatchingInput } from "./retryMatching.schema";

interface LockedDelivery {
  id: string;
  status: DeliveryStatus;
}

/** Failed ones unless the filter names expired ones (their subscription is gone); nothing else retries. */
export function retryableStatusesFor(status: DeliveryStatus | undefined): DeliveryStatus[] {
  if (status && !isRetryable(status)) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `Only failed or expired deliveries can be retried, not ${status} ones`,
    });
  }
  return [status ?? "failed"];
}

/** What "retry all matching" acts on, for the retry and its preview alike: the retryable statuses and the filter. */
export async function retryScope(db: AdminContext["db"], input: z.output<typeof retryMatchingInput>) {
  const { limit, status, ...filters } = input;
  const statuses = retryableStatusesFor(status);
  const where = await deliveryWhere(db, filters, { status: { in: statuses } });
  return { limit, statuses, where };
}

/**
 * Queues a retry of every failed delivery matching the filters (expired ones only when the
 * filter asks for them: their subscription is gone), newest first, at most `limit` per call.
 */
export async function retryMatchingDeliveries({
  ctx,
  input,
}: {
  ctx: AdminContext;
  input: z.output<typeof retryMatchingInput>;
}) {
  const { limit, statuses, where } = await retryScope(ctx.db, input);
  const candidates = await ctx.db.delivery.findMany({
    where,
    orderBy: newestFirst,
    take: limit + 1,
    select: { id: true },
  });
  const batch = candidates.slice(0, limit).map((c) => c.id);

  const result = await ctx.db.$transaction(async (tx) => {
    // Re-check under lock: a row may have changed since it was read; rows locked by a running
    // delivery step are left for the next click rather than waited for.
    const locked = batch.length
      ? await tx.$queryRaw<LockedDelivery[]>`
          SELECT id, status::text AS status FROM "Delivery"
          WHERE id = ANY(${batch}) AND status::text = ANY(${statuses})
          ORDER BY "createdAt" DESC, id DESC
          FOR UPDATE SKIP LOCKED`
      : [];
    const pending = await pendingRetries(
      tx,
      locked.map((d) => d.id),
    );
    const due = locked.filter((d) => !pending.has(d.id));
    const requests = await insertRetryRequests(
      tx,
      due.map((d) => d.id),
      ctx.session.user.id,
    );
    return {
      outboxEventIds: requests.map((r) => r.outboxEventId),
      alreadyRequested: locked.length - due.length,
      skipped: batch.length - locked.length,
    };
  });

  ctx.relay.dispatchSoon(result.outboxEventIds);
  return {
    queued: result.outboxEventIds.length,
    /** Matched, but a retry is already waiting for them. */
    alreadyRequested: result.alreadyRequested,
    /** Matched when read, but changed or busy by the time they were locked. */
    skipped: result.skipped,
    /** More deliveries match than one call queues. */
    hasMore: candidates.length > limit,
    statuses,
  };
}
