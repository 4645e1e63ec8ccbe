import {
  describeAccountEvent,
  describeUserAgent,
  maskPhoneNumber,
  parseAccountEventDetails,
  parseProfileChanges,
  summarizeChanges,
  type EmailContent,
  type ProfileChanges,
  type PushPayload,
} from "@acme/validators";
import { renderProfileUpdatedEmail } from "./channels/email-template";
import type { JobsConfig } from "./config";
import type { NoticeChange } from "./deliveries";
import { noticeLinkSlots } from "./links";

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

export { describeUserAgent };

/** The push a change's notice sends to each device, with the links' token slots (filled in for each send). */
export function composePush(appUrl: string, change: NoticeChange, generation: number): PushPayload {
  const changes = parseProfileChanges(change.changes);
  const notice = describeAccountEvent(change.kind, changes, parseAccountEventDetails(change.details));
  return buildPushPayload(change.id, generation, changes, appUrl, {
    title: notice.title,
    sentence: notice.sentence,
    secureUrl: noticeLinkSlots(appUrl, change).secureUrl,
  });
}

/**
 * The email a change's notice sends, rendered once and pinned on its delivery: every try sends
 * these bytes. Its links hold token slots; the tokens go in just before each send.
 */
export async function composeEmail(
  config: Pick<JobsConfig, "appUrl" | "email">,
  change: NoticeChange,
  to: string,
): Promise<EmailContent> {
  const changes = parseProfileChanges(change.changes);
  const notice = describeAccountEvent(change.kind, changes, parseAccountEventDetails(change.details));
  return {
    from: config.email.from,
    to,
    ...(await renderProfileUpdatedEmail({
      title: notice.title,
      username: changes.username?.to ?? change.username,
      changes: notice.lines,
      changedAt: change.createdAt,
      device: describeUserAgent(change.userAgent),
      ipAddress: change.ipAddress,
      profileUrl: `${config.appUrl}/profile`,
      supportUrl: config.email.supportUrl,
      ...noticeLinkSlots(config.appUrl, change),
    })),
  };
}
