import { z } from "zod";

// The delivery vocabulary shared by the jobs that write deliveries, the API that reads them and the
// admin pages that show them. packages/db's Prisma enums must match (checked in packages/api).
export const DELIVERY_STATUSES = ["queued", "sent", "failed", "expired", "skipped"] as const;
export type DeliveryStatusName = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_CHANNELS = ["email", "push"] as const;
export type DeliveryChannelName = (typeof DELIVERY_CHANNELS)[number];
/** An admin may retry a delivery that gave up (failed) or whose push subscription is gone (expired). */
export const RETRYABLE_STATUSES = ["failed", "expired"] as const satisfies readonly DeliveryStatusName[];

export function isRetryable(status: DeliveryStatusName): status is (typeof RETRYABLE_STATUSES)[number] {
  return (RETRYABLE_STATUSES as readonly DeliveryStatusName[]).includes(status);
}

/** The email as sent, stored on its delivery so a retry sends the same bytes and admins see what the user saw. */
export const emailContentSchema = z.object({
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
});
export type EmailContent = z.infer<typeof emailContentSchema>;

/**
 * The push message as sent to each device (the service worker reads the same fields). `changeId` and
 * `generation` let the device drop a repeat of a message it already showed: push services have no
 * idempotency key, so a send repeated after a crash can arrive twice.
 */
export const pushPayloadSchema = z.object({
  title: z.string(),
  body: z.string(),
  url: z.string(),
  tag: z.string(),
  changeId: z.string(),
  generation: z.number().int().nonnegative(),
});
export type PushPayload = z.infer<typeof pushPayloadSchema>;

/** A stored `Delivery.content`, or null when nothing was rendered yet (or it is not what the jobs write). */
export function readDeliveryContent(
  channel: DeliveryChannelName,
  content: unknown,
): { email: EmailContent | null; push: PushPayload | null } {
  if (channel === "email") return { email: emailContentSchema.safeParse(content).data ?? null, push: null };
  return { email: null, push: pushPayloadSchema.safeParse(content).data ?? null };
}
