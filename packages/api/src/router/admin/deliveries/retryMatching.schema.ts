import { z } from "zod";
import { deliveryFilterShape } from "./filters";

/** The most retries one click queues; the admin clicks again for the next batch. */
export const MAX_RETRIES_PER_REQUEST = 500;

export const retryMatchingInput = z.strictObject({
  ...deliveryFilterShape,
  limit: z.number().int().min(1).max(MAX_RETRIES_PER_REQUEST).default(MAX_RETRIES_PER_REQUEST),
});
