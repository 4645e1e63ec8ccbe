import { z } from "zod";
import { plainString } from "./text";

/** base64url (padding optional) whose decoded length is exactly/at least `bytes`. */
function base64UrlKey(name: string, check: (bytes: number) => boolean, rule: string) {
  return z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, { error: `${name} must be base64url` })
    .refine((value) => check(Math.floor((value.replace(/=+$/, "").length * 3) / 4)), {
      error: `${name} must be ${rule}`,
    });
}

/** The JSON of a browser PushSubscription (`subscription.toJSON()`). */
export const pushSubscriptionSchema = z.strictObject({
  // Push services are HTTPS-only (RFC 8030); web-push cannot send anywhere else.
  endpoint: plainString("endpoint").pipe(
    z.url({ protocol: /^https$/, error: "endpoint must be an https URL" }).max(2048),
  ),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    p256dh: base64UrlKey("keys.p256dh", (n) => n === 65, "an uncompressed P-256 public key (65 bytes)"),
    auth: base64UrlKey("keys.auth", (n) => n === 16, "a 16-byte secret"),
  }),
});
export type PushSubscriptionJSON = z.infer<typeof pushSubscriptionSchema>;
