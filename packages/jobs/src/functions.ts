import type { JobDeps } from "./deps";
import { createNotifyProfileUpdated } from "./functions/notify-profile-updated";
import { createRetryDelivery } from "./functions/retry-delivery";

/**
 * Every Inngest function of the app; hand these to `serve`. Dependencies are resolved on first
 * use, so importing the endpoint (e.g. during `next build`) needs no database.
 */
export function createFunctions(deps: JobDeps | (() => JobDeps)) {
  let resolved: JobDeps | null = typeof deps === "function" ? null : deps;
  const getDeps = () => (resolved ??= (deps as () => JobDeps)());
  return [createNotifyProfileUpdated(getDeps), createRetryDelivery(getDeps)];
}
