import { z } from "zod";
import { accountEventKindSchema } from "./account-events";
import { profileFieldSchema } from "./profile";

// Event payloads: imported by the producer (the API's outbox) and the consumer (the jobs).
// Every account event (see ProfileChange.kind) travels under this name: one durable notification path.
export const profileUpdatedEventName = "user/profile.updated" as const;

export const profileUpdatedEventData = z
  .object({
    changeId: z.string().min(1),
    userId: z.string().min(1),
    /** Absent in events written before kinds existed: those were profile updates. */
    kind: accountEventKindSchema.optional(),
    /** Empty for kinds that change no profile field; a profile update changes at least one. */
    changedFields: z.array(profileFieldSchema),
  })
  .refine((data) => (data.kind ?? "profile_updated") !== "profile_updated" || data.changedFields.length > 0, {
    error: "a profile update changes at least one field",
    path: ["changedFields"],
  });
export type ProfileUpdatedEventData = z.infer<typeof profileUpdatedEventData>;

/** Asks the delivery function to try one delivery again (admin retry). */
export const deliveryRetryEventName = "notification/delivery.retry" as const;
export const deliveryRetryEventData = z.object({
  /** The DeliveryRetryRequest row; absent in events written before requests had their own table (then it is the event id). */
  requestId: z.string().min(1).optional(),
  deliveryId: z.string().min(1),
  requestedBy: z.string().min(1),
});
export type DeliveryRetryEventData = z.infer<typeof deliveryRetryEventData>;

/** One email delivery (of one generation) for the send-email function: sent by earlier versions, still drained. */
export const emailRequestedEventName = "notification/email.requested" as const;
export const emailRequestedEventData = z.object({
  deliveryId: z.string().min(1),
  generation: z.number().int().nonnegative(),
});
export type EmailRequestedEventData = z.infer<typeof emailRequestedEventData>;
