import { emailRequestedEventData } from "@acme/validators";
import { emailRequested, inngest } from "../client";
import { deliver } from "../deliver";
import { failUnsentDeliveries } from "../deliveries";
import type { JobDeps } from "../deps";
import type { JobsConfig } from "../config";
import { DELIVERY_RETRIES } from "./retries";

/**
 * notification/email.requested → one email, sent at most `emailRatePerSecond` times a second across
 * the app (Inngest's throttle: runs wait their turn instead of meeting the provider's 429s).
 */
export function createSendEmail(getDeps: () => JobDeps, config: Pick<JobsConfig, "delivery">) {
  const rate = config.delivery.emailRatePerSecond;
  return inngest.createFunction(
    {
      id: "send-email",
      name: "Send one email",
      triggers: [emailRequested],
      throttle: emailThrottle(rate),
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
      const result = await step.run("send", () =>
        deliver(deps, deliveryId, { runId, attempt, maxAttempts: maxAttempts ?? DELIVERY_RETRIES + 1, generation }),
      );
      return { deliveryId: result.deliveryId, status: result.status };
    },
  );
}

/**
 * Inngest's throttle is a GCRA bucket: `limit` runs may start at once, then one every
 * `period / limit`, so any one-second window can see nearly twice the limit. A provider that
 * counts a sliding second (Resend answers 429 beyond its rate) must never see more than `rate`:
 * half the rate at once and half spread over the second keeps every window within it.
 */
export function emailThrottle(ratePerSecond: number) {
  return { limit: Math.max(1, Math.ceil(ratePerSecond / 2)), period: "1s" as const };
}
