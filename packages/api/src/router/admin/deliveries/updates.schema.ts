import { z } from "zod";
import { deliveryCursorSchema, deliveryFilterShape } from "./filters";

export const deliveryUpdatesInput = z.strictObject({
  ...deliveryFilterShape,
  /** The newest row the client shows; null when it shows none. */
  newerThan: deliveryCursorSchema.nullable(),
  /** Rows on screen whose status may still change. */
  watch: z.array(z.string().min(1).max(64)).max(200),
  /** `pollAt` of the previous answer; null on the first poll. */
  updatedSince: z.date().nullable(),
});
