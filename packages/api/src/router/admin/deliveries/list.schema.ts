import { z } from "zod";
import { deliveryCursorSchema, deliveryFilterShape } from "./filters";

export const listDeliveriesInput = z.strictObject({
  ...deliveryFilterShape,
  cursor: deliveryCursorSchema.nullish(),
  limit: z.number().int().min(1).max(100).default(25),
  /** Sent by tRPC's useInfiniteQuery with every page; only forward paging exists. */
  direction: z.literal("forward").optional(),
});
