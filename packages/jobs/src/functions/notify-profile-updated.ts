import { NonRetriableError } from "inngest";
import { profileUpdatedEventData } from "@acme/validators";
import { inngest, profileUpdated } from "../client";
import { deliver, type DeliveryResult } from "../deliver";
import { failUnsentDeliveries, planDeliveries } from "../deliveries";
import type { JobDeps } from "../deps";

export const NOTIFY_RETRIES = 5;

/**
 * user/profile.updated → one email and one push per device, each its own durable step, so a
 * failing device never resends the others. Keyed on the change id: a re-sent event runs nothing.
 */
export function createNotifyProfileUpdated(getDeps: () => JobDeps) {
  return inngest.createFunction(
    {
      id: "notify-profile-updated",
      name: "Notify the user of a profile update",
      triggers: [profileUpdated],
      idempotency: "event.data.changeId",
      retries: NOTIFY_RETRIES,
      checkpointing: false,
      onFailure: async ({ event, error }) => {
        const deps = getDeps();
        const original = profileUpdatedEventData.safeParse(event.data.event.data);
        if (original.success)
          await failUnsentDeliveries(
            deps.db,
            { profileChangeId: original.data.changeId },
            event.data.run_id,
            error.message,
          );
      },
    },
    async ({ event, step, runId, attempt, maxAttempts }) => {
      const deps = getDeps();
      const { changeId, userId } = event.data;
      const planned = await step.run("plan-deliveries", () =>
        planDeliveries(deps.db, { changeId, userId, eventId: event.id ?? changeId, runId }),
      );
      const stepContext = () => ({ runId, attempt, maxAttempts: maxAttempts ?? NOTIFY_RETRIES + 1 });

      const results = await Promise.all(
        planned
          .filter((delivery) => delivery.status === "queued")
          .map((delivery) =>
            step
              .run(`deliver-${delivery.channel}-${delivery.id}`, () => deliver(deps, delivery.id, stepContext()))
              .catch((): DeliveryResult => ({ deliveryId: delivery.id, status: "failed" })),
          ),
      );
      const failed = results.filter((r) => r.status === "failed");
      if (failed.length > 0) {
        // Each failed target already recorded its error; failing the run makes it visible as failed too.
        throw new NonRetriableError(`${failed.length} of ${results.length} deliveries failed`);
      }
      return { changeId, deliveries: results.map(({ deliveryId, status }) => ({ deliveryId, status })) };
    },
  );
}
