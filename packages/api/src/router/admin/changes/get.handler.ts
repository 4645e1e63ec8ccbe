import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import { latestRetryRequests, pendingRetryAt } from "../deliveries/retry-requests";
import { executorRunUrl, maskTarget, toAttemptView } from "../presenters";
import { isRetryable, parseProfileChanges, profileUpdatedEventName, readDeliveryContent } from "@acme/validators";
import type { AdminContext } from "../types";
import type { getChangeInput } from "./get.schema";

/** One profile change and every notification it caused, each with its attempts and content. */
export async function getChange({ ctx, input }: { ctx: AdminContext; input: z.output<typeof getChangeInput> }) {
  const change = await ctx.db.profileChange.findUnique({
    where: { id: input.id },
    include: {
      user: { select: { id: true, email: true, username: true } },
      actor: { select: { id: true, email: true, username: true } },
      deliveries: {
        orderBy: [{ channel: "asc" }, { createdAt: "asc" }, { id: "asc" }],
        include: { attemptLog: { orderBy: [{ createdAt: "asc" }, { attempt: "asc" }] } },
      },
    },
  });
  if (!change) throw new TRPCError({ code: "NOT_FOUND", message: `No profile change with id ${input.id}` });

  const requests = await latestRetryRequests(
    ctx.db,
    change.deliveries.filter((d) => isRetryable(d.status)).map((d) => d.id),
  );
  // Deliveries carry the outbox id of the event that caused them; before any exist, look it up.
  const eventId =
    change.deliveries[0]?.eventId ??
    (
      await ctx.db.$queryRaw<{ id: string }[]>`
        SELECT id FROM "OutboxEvent" WHERE name = ${profileUpdatedEventName} AND payload->>'changeId' = ${change.id} ORDER BY "createdAt" LIMIT 1`
    )[0]?.id ??
    null;
  const outbox = eventId
    ? await ctx.db.outboxEvent.findUnique({
        where: { id: eventId },
        select: { id: true, name: true, createdAt: true, dispatchedAt: true, attempts: true, lastError: true },
      })
    : null;

  return {
    id: change.id,
    createdAt: change.createdAt,
    changedFields: change.changedFields,
    changes: parseProfileChanges(change.changes),
    ipAddress: change.ipAddress,
    userAgent: change.userAgent,
    user: change.user,
    actor: change.actor,
    event: outbox,
    deliveries: change.deliveries.map((d) => ({
      id: d.id,
      channel: d.channel,
      status: d.status,
      target: maskTarget(d.channel, d.target),
      attempts: d.attempts,
      generation: d.generation,
      lastError: d.lastError,
      providerMessageId: d.providerMessageId,
      runId: d.runId,
      runUrl: executorRunUrl(d.runId, ctx.config.inngest.serverUrl),
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
      sentAt: d.sentAt,
      ...readDeliveryContent(d.channel, d.content),
      attemptLog: d.attemptLog.map((attempt) => toAttemptView(attempt, ctx.config.inngest.serverUrl)),
      retryable: isRetryable(d.status),
      retryRequestedAt: isRetryable(d.status) ? pendingRetryAt(d, requests.get(d.id)) : null,
    })),
  };
}
