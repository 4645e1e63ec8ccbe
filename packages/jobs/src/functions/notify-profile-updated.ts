import { profileUpdatedEventData } from "@acme/validators";
import { inngest, profileUpdated } from "../client";
import { deliver, type DeliveryResult } from "../deliver";
import { failUnsentDeliveries, planDeliveries, type PlannedDelivery } from "../deliveries";
import type { JobDeps } from "../deps";
import { reserveEmailTurns, type EmailTurn } from "../email-pace";
import { sendEmailInTurn } from "./email-turn";
import { DELIVERY_RETRIES } from "./retries";

/**
 * user/profile.updated → one email, sent in its turn under the provider's rate, and one push per
 * device, each delivery its own durable step so a failing one never resends the others. Keyed on
 * the change id: a re-sent event runs nothing.
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
      const plan = await step.run("plan-deliveries", async () => {
        const deliveries = await planDeliveries(deps.db, {
          changeId,
          userId,
          kind,
          eventId: event.id ?? changeId,
          runId,
        });
        // In the same step: a replayed plan keeps its turns.
        const emailTurns = await reserveEmailTurns(
          deps.db,
          deliveries.filter((d) => d.channel === "email" && d.status === "queued").map((d) => d.id),
          deps.config.delivery.emailRatePerSecond,
        );
        return { planned: deliveries, emailTurns };
      });
      const { planned, emailTurns } = planOf(plan);
      const stepContext = () => ({ runId, attempt, maxAttempts: maxAttempts ?? DELIVERY_RETRIES + 1, generation: 0 });
      // A delivery that fails for good has recorded why on its row; the run itself completes.
      const failed = (deliveryId: string) => (): DeliveryResult => ({ deliveryId, status: "failed" });

      const [emails, pushes] = await Promise.all([
        Promise.all(
          emailTurns.map((turn) => sendEmailInTurn(step, deps, turn, stepContext()).catch(failed(turn.deliveryId))),
        ),
        Promise.all(
          planned
            .filter((delivery) => delivery.channel === "push" && delivery.status === "queued")
            .map((delivery) =>
              step
                .run(`deliver-push-${delivery.id}`, () => deliver(deps, delivery.id, stepContext()))
                .catch(failed(delivery.id)),
            ),
        ),
      ]);
      return {
        changeId,
        emails: emails.map(({ deliveryId, status }) => ({ deliveryId, status })),
        pushes: pushes.map(({ deliveryId, status }) => ({ deliveryId, status })),
      };
    },
  );
}

interface Plan {
  planned: PlannedDelivery[];
  emailTurns: EmailTurn[];
}

/** A plan memoized by an earlier version is the bare list; it had handed its emails to send-email. */
function planOf(plan: Plan | PlannedDelivery[]): Plan {
  return Array.isArray(plan) ? { planned: plan, emailTurns: [] } : plan;
}
