import type { AccountEventDetails, AccountEventKind } from "./account-events";
import { summarizeChanges, type ProfileChanges } from "./changes";

/** How an account event is told: in notifications, on the secure-link page and under "Recent security activity". */
export interface AccountEventText {
  title: string;
  /** Phrases, lower case first: e.g. `username changed from “a” to “b”`. */
  lines: string[];
  sentence: string;
}

const TITLES: Record<AccountEventKind, string> = {
  profile_updated: "Your profile has been updated",
  profile_reverted: "Your profile has been restored",
  password_changed: "Your password has been changed",
  password_reset: "Your password has been reset",
  password_reset_requested: "Reset your password",
  admin_granted: "You are now an administrator",
  admin_revoked: "Your administrator role was removed",
  push_device_added: "A new device receives your notifications",
};

const FIXED_LINES: Record<Exclude<AccountEventKind, "profile_updated" | "profile_reverted">, string> = {
  password_changed: "password changed",
  password_reset: "password reset with a link sent by email",
  password_reset_requested: "password reset requested",
  admin_granted: "administrator role granted",
  admin_revoked: "administrator role removed",
  push_device_added: "push notifications turned on for a new device",
};

/** A short name of the event for lists: "password changed", "profile restored". */
export function accountEventLabel(kind: AccountEventKind): string {
  if (kind === "profile_updated") return "profile changed";
  if (kind === "profile_reverted") return "profile restored";
  return FIXED_LINES[kind];
}

export function describeAccountEvent(
  kind: AccountEventKind,
  changes: ProfileChanges,
  details: AccountEventDetails,
): AccountEventText {
  if (kind === "profile_updated" || kind === "profile_reverted") {
    const summary = summarizeChanges(changes);
    const kept = details.usernameNotRestored
      ? [`username “${details.usernameNotRestored}” not restored: someone else has taken it since`]
      : [];
    const lines = [...summary.lines, ...kept];
    const sentence =
      summary.lines.length === 0
        ? "Nothing could be restored."
        : kind === "profile_reverted"
          ? `Restored as you asked: ${summary.sentence.charAt(0).toLowerCase()}${summary.sentence.slice(1)}`
          : summary.sentence;
    return { title: TITLES[kind], lines, sentence };
  }
  const line = FIXED_LINES[kind];
  return { title: TITLES[kind], lines: [line], sentence: `${TITLES[kind]}.` };
}
