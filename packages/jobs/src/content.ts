import { maskPhoneNumber, summarizeChanges, type ProfileChanges, type PushPayload } from "@acme/validators";

export { maskPhoneNumber, summarizeChanges };

export const SECURITY_NOTICE = "If it was not done by you, please contact support.";
export const SECURE_LINK_NOTICE = "Not you? Open this to secure your account.";

/** A notice other than a plain profile update: its own title and sentence, and where a tap leads. */
export interface PushNotice {
  title: string;
  sentence: string;
  /** The "this wasn't me" link; the profile page when the event has none. */
  secureUrl: string | null;
}

export function buildPushPayload(
  changeId: string,
  generation: number,
  changes: ProfileChanges,
  appUrl: string,
  notice?: PushNotice,
): PushPayload {
  const secureUrl = notice?.secureUrl ?? null;
  return {
    changeId,
    generation,
    title: notice?.title ?? "Your profile has been updated",
    body: `${notice?.sentence ?? summarizeChanges(changes).sentence} ${secureUrl ? SECURE_LINK_NOTICE : SECURITY_NOTICE}`,
    url: secureUrl ?? `${appUrl}/profile`,
    tag: `profile-change-${changeId}`,
  };
}

export { describeUserAgent } from "@acme/validators";
