export { inngest, profileUpdated, deliveryRetryRequested } from "./client";
export { createInngestPublisher } from "./publisher";
export { functions } from "./functions";
