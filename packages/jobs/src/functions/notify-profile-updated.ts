import { profileUpdatedEventData } from "@acme/validators";
import { inngest, profileUpdated } from "../client";
import { composeEmail } from "../content";
import { deliverTogether, type DeliveryResult } from "../deliver";
import { failUnsentDeliveries, planDeliveries, type Plan, type PlannedDelivery } from "../deliveries";
import type { JobDeps } from "../deps";
import { isFarTurn } from "../email-pace";
import { sendEmailInTurn } from "./email-turn";
import { DELIVERY_RETRIES } from "./retries";

/**
 * user/profile.updated → one email, sent in its turn under the provider's rate, and one push per
 * device. Each delivery is sent at most once whatever is retried (its row says whether it went), so
 * a failing one never resends the others. Keyed on the change id: a re-sent event runs nothing.
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
      // The turns are taken in the same step (the same statement): a replayed plan keeps them.
      const plan = await step.run("plan-deliveries", () =>
        planDeliveries(
          deps.db,
          { changeId, userId, kind, eventId: event.id ?? changeId, runId },
          (change, to) => composeEmail(deps.config, change, to),
          deps.config.delivery.emailRatePerSecond,
        ),
      );
      const { planned, emailTurns } = planOf(plan);
      const stepContext = () => ({ runId, attempt, maxAttempts: maxAttempts ?? DELIVERY_RETRIES + 1, generation: 0 });
      // What can go now goes in one step (one call in all when nothing fails): the pushes and an
      // email whose turn is near. An email whose turn is far sleeps durably beside it.
      const far = emailTurns.filter(isFarTurn);
      const now = [
        ...emailTurns
          .filter((turn) => !isFarTurn(turn))
          .map((turn) => ({ deliveryId: turn.deliveryId, notBefore: turn.at })),
        ...planned.filter((d) => d.channel === "push" && d.status === "queued").map((d) => ({ deliveryId: d.id })),
      ];
      // A delivery that fails for good has recorded why on its row (the last try returns it as
      // failed); the run itself completes.
      const failed = (deliveryId: string): DeliveryResult => ({ deliveryId, status: "failed" });
      const [together, ...alone] = await Promise.all([
        now.length === 0
          ? []
          : step
              .run("deliver", () => deliverTogether(deps, now, stepContext()))
              .catch(() => now.map((d) => failed(d.deliveryId))),
        ...far.map((turn) => sendEmailInTurn(step, deps, turn, stepContext()).catch(() => failed(turn.deliveryId))),
      ]);
      const results = [...together, ...alone];
      const channelOf = new Map(planned.map((d) => [d.id, d.channel]));
      const ofChannel = (channel: string) =>
        results
          .filter((r) => channelOf.get(r.deliveryId) === channel)
          .map(({ deliveryId, status }) => ({ deliveryId, status }));
      return {
        changeId,
        emails: ofChannel("email"),
        pushes: ofChannel("push"),
      };
    },
  );
}

/** A plan memoized by an earlier version is the bare list; it had handed its emails to send-email. */
function planOf(plan: Plan | PlannedDelivery[]): Plan {
  return Array.isArray(plan) ? { planned: plan, emailTurns: [] } : plan;
}
