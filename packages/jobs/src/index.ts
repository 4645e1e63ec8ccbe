export { inngest, profileUpdated, deliveryRetryRequested } from "./client";
export { createInngestPublisher } from "./publisher";
export { createFunctions } from "./functions";
export { createJobDeps, type JobDeps } from "./deps";
export { readJobsConfig, type JobsConfig, type VapidConfig } from "./config";
export { summarizeChanges, maskPhoneNumber, buildPushPayload, type PushPayload } from "./content";
