import type { z } from "zod";
import { runPageFor } from "@acme/config";
import { maskTarget, toAttemptView } from "../presenters";
import type { AdminContext } from "../types";
import type { getRunInput } from "./get.schema";
import { lookUpRun } from "./inngest-api";

/**
 * One Inngest run inside the app: what Inngest says of it (status, timing, its next queued try)
 * beside what the run recorded here (each delivery try, each retry request it took).
 */
export async function getRun({ ctx, input }: { ctx: AdminContext; input: z.output<typeof getRunInput> }) {
  const [lookup, attempts, retryRequests] = await Promise.all([
    lookUpRun(ctx.config.inngest, input.runId),
    ctx.db.deliveryAttempt.findMany({
      where: { runId: input.runId },
      orderBy: [{ createdAt: "asc" }, { attempt: "asc" }],
      include: { delivery: { select: { id: true, channel: true, target: true, status: true } } },
    }),
    ctx.db.deliveryRetryRequest.findMany({
      where: { runId: input.runId },
      orderBy: { requestedAt: "asc" },
      select: { id: true, deliveryId: true, requestedAt: true, takenAt: true, reopened: true },
    }),
  ]);
  return {
    runId: input.runId,
    source: ctx.config.inngest.apiUrl,
    pageUrl: runPageFor(ctx.config.inngest, input.runId),
    ...lookup,
    attempts: attempts.map((attempt) => ({
      ...toAttemptView(attempt),
      delivery: {
        id: attempt.delivery.id,
        channel: attempt.delivery.channel,
        status: attempt.delivery.status,
        target: maskTarget(attempt.delivery.channel, attempt.delivery.target),
      },
    })),
    retryRequests,
  };
}
