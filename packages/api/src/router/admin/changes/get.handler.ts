import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import { pendingRetries } from "../deliveries/retry-requests";
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

  const pending = await pendingRetries(
    ctx.db,
    change.deliveries.filter((d) => isRetryable(d.status)).map((d) => d.id),
  );
  const outbox = await ctx.db.outboxEvent.findFirst({
    where: { subjectId: change.id, name: profileUpdatedEventName },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, createdAt: true, dispatchedAt: true, attempts: true, lastError: true },
  });

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
      retryRequestedAt: isRetryable(d.status) ? (pending.get(d.id) ?? null) : null,
    })),
  };
}
