import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import { executorRunUrl, maskTarget, toAttemptView } from "../presenters";
import { isRetryable, readDeliveryContent, parseProfileChanges } from "@acme/validators";
import type { AdminContext } from "../types";
import type { getDeliveryInput } from "./get.schema";
import { retryRequestsFor } from "./retry-requests";

/** One delivery with everything an admin needs to understand it: attempts, content, run, retries. */
export async function getDelivery({ ctx, input }: { ctx: AdminContext; input: z.output<typeof getDeliveryInput> }) {
  const delivery = await ctx.db.delivery.findUnique({
    where: { id: input.id },
    include: {
      user: { select: { id: true, email: true, username: true } },
      profileChange: {
        select: { id: true, changedFields: true, changes: true, createdAt: true, ipAddress: true, userAgent: true },
      },
      attemptLog: { orderBy: [{ createdAt: "asc" }, { attempt: "asc" }] },
    },
  });
  if (!delivery) throw new TRPCError({ code: "NOT_FOUND", message: `No delivery with id ${input.id}` });

  const requests = await retryRequestsFor(ctx.db, delivery.id);
  const { email, push } = readDeliveryContent(delivery.channel, delivery.content);

  return {
    id: delivery.id,
    channel: delivery.channel,
    status: delivery.status,
    target: maskTarget(delivery.channel, delivery.target),
    pushSubscriptionId: delivery.pushSubscriptionId,
    attempts: delivery.attempts,
    generation: delivery.generation,
    lastError: delivery.lastError,
    providerMessageId: delivery.providerMessageId,
    eventId: delivery.eventId,
    runId: delivery.runId,
    runUrl: executorRunUrl(delivery.runId, ctx.config.inngest.serverUrl),
    createdAt: delivery.createdAt,
    updatedAt: delivery.updatedAt,
    sentAt: delivery.sentAt,
    user: delivery.user,
    change: { ...delivery.profileChange, changes: parseProfileChanges(delivery.profileChange.changes) },
    email,
    push,
    attemptLog: delivery.attemptLog.map((attempt) => toAttemptView(attempt, ctx.config.inngest.serverUrl)),
    retryable: isRetryable(delivery.status),
    retryRequestedAt: isRetryable(delivery.status) ? (requests.find((r) => !r.takenAt)?.requestedAt ?? null) : null,
    retryRequests: requests,
  };
}
