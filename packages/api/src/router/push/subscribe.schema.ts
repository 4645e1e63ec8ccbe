import { ECDH } from "node:crypto";
import { pushSubscriptionSchema } from "@acme/validators";

/** Whether `p256dh` decodes to a point on the P-256 curve (not just 65 bytes). */
function isP256Point(p256dh: string): boolean {
  try {
    ECDH.convertKey(Buffer.from(p256dh, "base64url"), "prime256v1");
    return true;
  } catch {
    return false;
  }
}

// The shared schema checks the shape; the curve check needs node:crypto, so it lives server-side.
export const subscribeInput = pushSubscriptionSchema.superRefine((value, ctx) => {
  if (!isP256Point(value.keys.p256dh))
    ctx.addIssue({
      code: "custom",
      path: ["keys", "p256dh"],
      message: "keys.p256dh must be a point on the P-256 curve",
    });
});
