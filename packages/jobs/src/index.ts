export { inngest, profileUpdated, deliveryRetryRequested } from "./client";
export { createInngestPublisher } from "./publisher";
export { createFunctions } from "./functions";
export { DELIVERY_RETRIES } from "./functions/retries";
export { createJobDeps, type JobDeps } from "./deps";
export type { JobsConfig, VapidConfig } from "./config";
export { summarizeChanges, maskPhoneNumber, buildPushPayload } from "./content";
