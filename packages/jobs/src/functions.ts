import type { JobDeps } from "./deps";
import { createNotifyProfileUpdated } from "./functions/notify-profile-updated";
import { createRetention } from "./functions/retention";
import { createRetryDelivery } from "./functions/retry-delivery";
import { createSendEmail } from "./functions/send-email";

/** Every Inngest function of the app; hand these to `serve`. */
export function createFunctions(deps: JobDeps) {
  const getDeps = () => deps;
  return [
    createNotifyProfileUpdated(getDeps),
    createSendEmail(getDeps),
    createRetryDelivery(getDeps),
    createRetention(getDeps),
  ];
}
