import type { JobDeps } from "./deps";
import { createNotifyProfileUpdated } from "./functions/notify-profile-updated";
import { createRetryDelivery } from "./functions/retry-delivery";

/** Every Inngest function of the app, bound to its dependencies; hand these to `serve`. */
export function createFunctions(deps: JobDeps) {
  return [createNotifyProfileUpdated(deps), createRetryDelivery(deps)];
}
