import webpush from "web-push";
import { describe, expect, it } from "vitest";
import { vapidAuthorization } from "./push";

const keys = webpush.generateVAPIDKeys();
const vapid = { subject: "mailto:ops@example.com", publicKey: keys.publicKey, privateKey: keys.privateKey };

function claims(authorization: string): { aud: string; exp: number; sub: string } {
  const jwt = /^vapid t=([^,]+), k=/.exec(authorization)?.[1] ?? "";
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString()) as {
    aud: string;
    exp: number;
    sub: string;
  };
}

describe("vapidAuthorization", () => {
  it("signs for the push service's origin, expiring within the 24 h RFC 8292 allows", () => {
    const now = Date.UTC(2026, 10, 28, 12);
    const header = vapidAuthorization("https://push.example.net/send/abc?x=1", vapid, now);
    const { aud, exp, sub } = claims(header);
    expect(aud).toBe("https://push.example.net");
    expect(sub).toBe(vapid.subject);
    expect(exp * 1000).toBeGreaterThan(now + 3600_000);
    expect(exp * 1000).toBeLessThanOrEqual(now + 24 * 3600_000);
    expect(header).toContain(`k=${vapid.publicKey}`);
  });

  it("reuses one signature per origin for an hour, then signs again", () => {
    const now = Date.UTC(2026, 10, 28, 13);
    const first = vapidAuthorization("https://push.example.org/a", vapid, now);
    expect(vapidAuthorization("https://push.example.org/b", vapid, now + 59 * 60_000)).toBe(first);
    expect(claims(vapidAuthorization("https://other.example.org/a", vapid, now)).aud).toBe("https://other.example.org");
    const renewed = vapidAuthorization("https://push.example.org/a", vapid, now + 61 * 60_000);
    expect(renewed).not.toBe(first);
    expect(claims(renewed).exp).toBeGreaterThan(claims(first).exp);
  });
});
