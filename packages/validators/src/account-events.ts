import { z } from "zod";

/** Every security-relevant account event; packages/db's AccountEventKind enum must match (checked in packages/api). */
export const ACCOUNT_EVENT_KINDS = [
  "profile_updated",
  "profile_reverted",
  "password_changed",
  "password_reset",
  "password_reset_requested",
  "admin_granted",
  "admin_revoked",
  "push_device_added",
] as const;
export const accountEventKindSchema = z.enum(ACCOUNT_EVENT_KINDS);
export type AccountEventKind = z.infer<typeof accountEventKindSchema>;

/**
 * Events the user may not have done themselves, so their notice carries the "this wasn't me" link.
 * Not a revert (the user just asked for it), not a reset request (its email is the reset link), not
 * an admin's role change (an admin did it, on purpose).
 */
export const SECURE_LINK_KINDS = [
  "profile_updated",
  "password_changed",
  "password_reset",
  "push_device_added",
] as const satisfies readonly AccountEventKind[];

export function hasSecureLink(kind: AccountEventKind): boolean {
  return (SECURE_LINK_KINDS as readonly AccountEventKind[]).includes(kind);
}

/** Events told by email only: a reset link must never show on a lock screen. */
export function isEmailOnly(kind: AccountEventKind): boolean {
  return kind === "password_reset_requested";
}

/** `ProfileChange.details`: what an event that changes no profile field needs to be told and undone. */
export const accountEventDetailsSchema = z.strictObject({
  /** push_device_added: the subscription, so "this wasn't me" can remove it. */
  pushSubscriptionId: z.string().optional(),
  /** password_reset_requested: better-auth's Verification row holding the reset token (the token itself is never copied). */
  resetVerificationId: z.string().optional(),
  /** profile_reverted: the change that was undone. */
  revertOf: z.string().optional(),
  /** profile_reverted: the old username could not be restored (taken since). */
  usernameNotRestored: z.string().optional(),
  /** admin_granted / admin_revoked: who did it. */
  byUserId: z.string().optional(),
});
export type AccountEventDetails = z.infer<typeof accountEventDetailsSchema>;

/** Reads a stored `ProfileChange.details` column (null for rows without details). */
export function parseAccountEventDetails(value: unknown): AccountEventDetails {
  return value == null ? {} : accountEventDetailsSchema.parse(value);
}
