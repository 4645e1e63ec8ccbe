import { NonRetriableError } from "inngest";
import { deliveryRetryRequested, inngest } from "../client";
import { deliver } from "../deliver";
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
        const deps = getDeps();
        const deliveryId = (event.data.event.data as { deliveryId?: unknown }).deliveryId;
        if (typeof deliveryId === "string") {
          await deps.db.delivery.updateMany({ where: { id: deliveryId, runId: event.data.run_id, status: "queued" }, data: { status: "failed", lastError: error.message.slice(0, 2000) } });
        }
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
      return step.run("deliver", () => deliver(deps, deliveryId, { runId, attempt, maxAttempts: maxAttempts ?? RETRY_RETRIES + 1 }));
    },
  );
}
