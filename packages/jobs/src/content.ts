import type { ProfileChanges, PushPayload } from "@acme/validators";

export interface ChangeSummary {
  /** One phrase per changed field, e.g. `username changed to “bob”`. */
  lines: string[];
  sentence: string;
}

/** Never reveal a full phone number in a notification: "ending in 10". */
export function maskPhoneNumber(phone: string): string {
  return `ending in ${phone.replace(/\D/g, "").slice(-2)}`;
}

export function summarizeChanges(changes: ProfileChanges): ChangeSummary {
  const lines: string[] = [];
  if (changes.username) lines.push(`username changed from “${changes.username.from}” to “${changes.username.to}”`);
  if (changes.phoneNumber) {
    const { from, to } = changes.phoneNumber;
    if (to === null) lines.push(`phone number ${from ? maskPhoneNumber(from) + " " : ""}removed`);
    else if (from === null) lines.push(`phone number ${maskPhoneNumber(to)} added`);
    else lines.push(`phone number changed to one ${maskPhoneNumber(to)}`);
  }
  const joined =
    lines.length > 1 ? `${lines.slice(0, -1).join(", ")} and ${lines.at(-1)}` : (lines[0] ?? "details changed");
  return { lines, sentence: `Your ${joined}.` };
}

export const SECURITY_NOTICE = "If it was not done by you, please contact support.";

export function buildPushPayload(
  changeId: string,
  generation: number,
  changes: ProfileChanges,
  appUrl: string,
): PushPayload {
  return {
    changeId,
    generation,
    title: "Your profile has been updated",
    body: `${summarizeChanges(changes).sentence} ${SECURITY_NOTICE}`,
    url: `${appUrl}/profile`,
    tag: `profile-change-${changeId}`,
  };
}

export { describeUserAgent } from "@acme/validators";
