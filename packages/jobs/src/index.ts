export { inngest, profileUpdated, deliveryRetryRequested } from "./client";
export { createInngestPublisher } from "./publisher";
export { createFunctions } from "./functions";
export { DELIVERY_RETRIES } from "./functions/retries";
export { createJobDeps, type JobDeps } from "./deps";
export type { JobsConfig, VapidConfig } from "./config";
export { summarizeChanges, maskPhoneNumber, buildPushPayload, describeUserAgent } from "./content";
// The content of a notification, for the benchmark's BullMQ baseline (packages/bench), which sends the same bytes.
export { renderProfileUpdatedEmail } from "./channels/email-template";
export { pushTopic } from "./channels/push";
