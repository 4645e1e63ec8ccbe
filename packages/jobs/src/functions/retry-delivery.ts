import { NonRetriableError } from "inngest";
import { deliveryRetryEventData, RETRYABLE_STATUSES } from "@acme/validators";
import { deliveryRetryRequested, inngest } from "../client";
import { deliver } from "../deliver";
import { failUnsentDeliveries } from "../deliveries";
import type { JobDeps } from "../deps";

export const RETRY_RETRIES = 3;

/** An admin's retry of one failed or expired delivery: reopened, then sent through the same path. */
export function createRetryDelivery(getDeps: () => JobDeps) {
  return inngest.createFunction(
    {
      id: "retry-delivery",
      name: "Retry one delivery",
      triggers: [deliveryRetryRequested],
      retries: RETRY_RETRIES,
      checkpointing: false,
      onFailure: async ({ event, error }) => {
        const original = deliveryRetryEventData.safeParse(event.data.event.data);
        if (!original.success) return;
        const { db } = getDeps();
        await failUnsentDeliveries(db, { id: original.data.deliveryId }, event.data.run_id, error.message);
        // A request the run never got to take is not left pending forever.
        const requestId = original.data.requestId ?? event.data.event.id;
        if (requestId) {
          await db.deliveryRetryRequest.updateMany({
            where: { id: requestId, takenAt: null },
            data: { takenAt: new Date(), reopened: false, runId: event.data.run_id },
          });
        }
      },
    },
    async ({ event, step, runId, attempt, maxAttempts }) => {
      const deps = getDeps();
      const { deliveryId } = event.data;
      // Events written before requests had their own table carry the request id as the event id.
      const requestId = event.data.requestId ?? event.id;
      const reopened = await step.run("reopen-delivery", () =>
        deps.db.$transaction(async (tx) => {
          // Only a failed or expired delivery reopens; the generation makes the provider call a new send.
          const { count } = await tx.delivery.updateMany({
            where: { id: deliveryId, status: { in: [...RETRYABLE_STATUSES] } },
            data: { status: "queued", generation: { increment: 1 }, lastError: null, runId },
          });
          if (requestId) {
            await tx.deliveryRetryRequest.updateMany({
              where: { id: requestId, takenAt: null },
              data: { takenAt: new Date(), reopened: count === 1, runId },
            });
          }
          return count === 1;
        }),
      );
      if (!reopened) throw new NonRetriableError(`Delivery ${deliveryId} is not failed or expired; nothing to retry`);
      return step.run("deliver", () =>
        deliver(deps, deliveryId, { runId, attempt, maxAttempts: maxAttempts ?? RETRY_RETRIES + 1 }),
      );
    },
  );
}
