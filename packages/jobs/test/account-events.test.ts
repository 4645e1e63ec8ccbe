import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSecureLinkToken } from "@acme/validators/secure-link";
import { startHarness, waitFor, type Harness } from "./harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function emailWithSubject(to: string, subject: string) {
  return waitFor(async () => h.mailbox.messages().find((m) => m.to.includes(to) && m.subject === subject), {
    what: `"${subject}" to ${to}`,
  });
}

describe("account events take the notification path", () => {
  it("forgot password: the reset email goes through the outbox by email only; the reset is notified with a secure link", async () => {
    const email = "resetter@example.com";
    const { userId, api } = await h.signUp(email, "resetter");
    const device = h.push.createSubscription({ applicationServerKey: h.vapidPublicKey });
    await api.push.subscribe.mutate(device.subscription);
    const added = await emailWithSubject(email, "A new device receives your notifications");
    expect(added.text).toMatch(new RegExp(`${h.apiUrl}/secure#`));

    await h.auth.api.requestPasswordReset({ body: { email } });
    const resetEmail = await emailWithSubject(email, "Reset your password");
    const token = new RegExp(`${h.apiUrl}/reset-password#([A-Za-z0-9_-]+)`).exec(resetEmail.text ?? "")?.[1];
    const verification = await h.database.db.verification.findFirstOrThrow({
      where: { identifier: `reset-password:${token}` },
    });
    expect(verification.value).toBe(userId);

    // The mailbox has it before the job records the send: wait for the record.
    const request = await waitFor(
      async () => {
        const change = await h.database.db.profileChange.findFirstOrThrow({
          where: { userId, kind: "password_reset_requested" },
          include: { deliveries: true },
        });
        return change.deliveries.every((d) => d.status !== "queued") ? change : null;
      },
      { what: "the reset email recorded as sent" },
    );
    // Never on a lock screen: one email delivery, no push; what admins read has no token in it.
    expect(request.deliveries.map((d) => [d.channel, d.status])).toEqual([["email", "sent"]]);
    expect(JSON.stringify(request.deliveries[0]!.content)).not.toContain(token);
    expect(h.push.received(device.id).map((m) => (m.json as { title: string }).title)).toEqual([
      "A new device receives your notifications",
    ]);

    await h.auth.api.resetPassword({ body: { token: token!, newPassword: "a-fresh-password-2" } });
    const notice = await emailWithSubject(email, "Your password has been reset");
    const secureToken = new RegExp(`${h.apiUrl}/secure#([A-Za-z0-9._-]+)`).exec(notice.text ?? "")?.[1];
    const reset = await h.database.db.profileChange.findFirstOrThrow({ where: { userId, kind: "password_reset" } });
    expect(readSecureLinkToken(h.config.secureLinks.secret, secureToken!)).toBe(reset.id);
    await waitFor(async () => h.push.received(device.id).length === 2, { what: "the reset push" });
    expect(h.push.received(device.id)[1]!.json).toMatchObject({
      title: "Your password has been reset",
      url: `${h.apiUrl}/secure#${secureToken}`,
    });
  });
});
