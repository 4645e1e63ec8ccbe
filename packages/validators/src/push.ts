import { z } from "zod";

/** The JSON of a browser PushSubscription (`subscription.toJSON()`). */
export const pushSubscriptionSchema = z.object({
  endpoint: z.url({ protocol: /^https?$/, error: "endpoint must be an http(s) URL" }).max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    p256dh: z.string().min(1).max(256),
    auth: z.string().min(1).max(64),
  }),
});
export type PushSubscriptionJSON = z.infer<typeof pushSubscriptionSchema>;
