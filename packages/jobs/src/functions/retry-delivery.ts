import { NonRetriableError } from "inngest";
import { deliveryRetryEventData } from "@acme/validators";
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
        if (original.success)
          await failUnsentDeliveries(getDeps().db, { id: original.data.deliveryId }, event.data.run_id, error.message);
      },
    },
    async ({ event, step, runId, attempt, maxAttempts }) => {
      const deps = getDeps();
      const { deliveryId } = event.data;
      const reopened = await step.run("reopen-delivery", async () => {
        // Only a failed or expired delivery reopens; the generation makes the provider call a new send.
        const { count } = await deps.db.delivery.updateMany({
          where: { id: deliveryId, status: { in: ["failed", "expired"] } },
          data: { status: "queued", generation: { increment: 1 }, lastError: null, runId },
        });
        return count === 1;
      });
      if (!reopened) throw new NonRetriableError(`Delivery ${deliveryId} is not failed or expired; nothing to retry`);
      return step.run("deliver", () =>
        deliver(deps, deliveryId, { runId, attempt, maxAttempts: maxAttempts ?? RETRY_RETRIES + 1 }),
      );
    },
  );
}
