import { eventType, Inngest } from "inngest";
import {
  deliveryRetryEventData,
  deliveryRetryEventName,
  emailRequestedEventData,
  emailRequestedEventName,
  profileUpdatedEventData,
  profileUpdatedEventName,
} from "@acme/validators";
import { createJobsLogger } from "./logger";

// Mode comes from the environment, not code: INNGEST_DEV=<url> for a local Dev Server or the
// embedded executor; INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY (+ INNGEST_BASE_URL) for Cloud
// or a self-hosted Inngest.
// Steps checkpoint together with the run's result instead of one call each: every step here is safe
// to run again (deliveries check their status, providers drop repeats), so a crash that loses a
// buffered checkpoint costs a repeat, never a duplicate; each checkpoint is an HTTP call and a
// transaction in Inngest.
export const inngest = new Inngest({
  id: "profile-notify",
  logger: createJobsLogger(),
  checkpointing: { bufferedSteps: 10, maxInterval: "1s" },
});

export const profileUpdated = eventType(profileUpdatedEventName, { schema: profileUpdatedEventData });
export const deliveryRetryRequested = eventType(deliveryRetryEventName, { schema: deliveryRetryEventData });
export const emailRequested = eventType(emailRequestedEventName, { schema: emailRequestedEventData });
