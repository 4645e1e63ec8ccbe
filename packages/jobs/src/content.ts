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

/** A short, human description of a user agent for "from which device". */
export function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return "an unknown device";
  // HTTP libraries (the typed API client runs on Node's fetch), not a browser a person holds.
  if (/^(node|undici|curl|Wget|python-requests|axios|Go-http-client|okhttp)\b/i.test(userAgent))
    return "a program using the API";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : null;
  const os = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad/.test(userAgent)
      ? "iOS"
      : /Mac OS X/.test(userAgent)
        ? "macOS"
        : /Windows/.test(userAgent)
          ? "Windows"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? userAgent.slice(0, 60);
}
