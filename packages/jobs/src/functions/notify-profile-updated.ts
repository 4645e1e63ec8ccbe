import { profileUpdatedEventData } from "@acme/validators";
import { inngest, profileUpdated, requestEmails } from "../client";
import { deliver, type DeliveryResult } from "../deliver";
import { failUnsentDeliveries, planDeliveries } from "../deliveries";
import type { JobDeps } from "../deps";
import { DELIVERY_RETRIES } from "./retries";

/**
 * user/profile.updated → one email (handed to the throttled send-email function) and one push per
 * device, each push its own durable step so a failing device never resends the others. Keyed on the
 * change id: a re-sent event runs nothing.
 */
export function createNotifyProfileUpdated(getDeps: () => JobDeps) {
  return inngest.createFunction(
    {
      id: "notify-profile-updated",
      name: "Notify the user of a profile update",
      triggers: [profileUpdated],
      idempotency: "event.data.changeId",
      retries: DELIVERY_RETRIES,
      onFailure: async ({ event, error }) => {
        const original = profileUpdatedEventData.safeParse(event.data.event.data);
        if (!original.success) return;
        await failUnsentDeliveries(
          getDeps().db,
          { profileChangeId: original.data.changeId, runId: event.data.run_id },
          error.message,
        );
      },
    },
    async ({ event, step, runId, attempt, maxAttempts }) => {
      const deps = getDeps();
      const { changeId, userId, kind = "profile_updated" } = event.data;
      const planned = await step.run("plan-deliveries", async () => {
        const deliveries = await planDeliveries(deps.db, {
          changeId,
          userId,
          kind,
          eventId: event.id ?? changeId,
          runId,
        });
        // In the same step: once the plan is memoized, its emails are in the email function's hands.
        await requestEmails(
          inngest,
          deliveries
            .filter((d) => d.channel === "email" && d.status === "queued")
            .map((d) => ({ deliveryId: d.id, generation: 0 })),
        );
        return deliveries;
      });
      const stepContext = () => ({ runId, attempt, maxAttempts: maxAttempts ?? DELIVERY_RETRIES + 1, generation: 0 });

      // A push that fails for good has recorded why on its delivery; the run itself completes.
      const pushes = await Promise.all(
        planned
          .filter((delivery) => delivery.channel === "push" && delivery.status === "queued")
          .map((delivery) =>
            step
              .run(`deliver-push-${delivery.id}`, () => deliver(deps, delivery.id, stepContext()))
              .catch((): DeliveryResult => ({ deliveryId: delivery.id, status: "failed" })),
          ),
      );
      return {
        changeId,
        emails: planned.filter((d) => d.channel === "email").map(({ id, status }) => ({ deliveryId: id, status })),
        pushes: pushes.map(({ deliveryId, status }) => ({ deliveryId, status })),
      };
    },
  );
}
