import { eventType, Inngest } from "inngest";
import {
  deliveryRetryEventData,
  deliveryRetryEventName,
  profileUpdatedEventData,
  profileUpdatedEventName,
} from "@acme/validators";

// Mode comes from the environment, not code: INNGEST_DEV=<url> for a local Dev Server or the
// embedded executor; INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY (+ INNGEST_BASE_URL) for Cloud
// or a self-hosted Inngest.
export const inngest = new Inngest({ id: "profile-notify" });

export const profileUpdated = eventType(profileUpdatedEventName, { schema: profileUpdatedEventData });
export const deliveryRetryRequested = eventType(deliveryRetryEventName, { schema: deliveryRetryEventData });
