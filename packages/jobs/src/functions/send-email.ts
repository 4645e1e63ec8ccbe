import { emailRequestedEventData } from "@acme/validators";
import { emailRequested, inngest } from "../client";
import { failUnsentDeliveries } from "../deliveries";
import type { JobDeps } from "../deps";
import { reserveEmailTurns } from "../email-pace";
import { sendEmailInTurn } from "./email-turn";
import { DELIVERY_RETRIES } from "./retries";

/**
 * notification/email.requested → one email in its turn. Nothing sends this event any more (a
 * notification and an admin retry send their email in their own run); it drains the requests an
 * earlier version queued, so an upgrade loses none.
 */
export function createSendEmail(getDeps: () => JobDeps) {
  return inngest.createFunction(
    {
      id: "send-email",
      name: "Send one email",
      triggers: [emailRequested],
      retries: DELIVERY_RETRIES,
      onFailure: async ({ event, error }) => {
        const original = emailRequestedEventData.safeParse(event.data.event.data);
        if (!original.success) return;
        await failUnsentDeliveries(
          getDeps().db,
          { id: original.data.deliveryId, generation: original.data.generation },
          error.message,
        );
      },
    },
    async ({ event, step, runId, attempt, maxAttempts }) => {
      const deps = getDeps();
      const { deliveryId, generation } = event.data;
      const [turn] = await step.run("turn", () =>
        reserveEmailTurns(deps.db, [deliveryId], deps.config.delivery.emailRatePerSecond),
      );
      const result = await sendEmailInTurn(step, deps, turn!, {
        runId,
        attempt,
        maxAttempts: maxAttempts ?? DELIVERY_RETRIES + 1,
        generation,
      });
      return { deliveryId: result.deliveryId, status: result.status };
    },
  );
}
