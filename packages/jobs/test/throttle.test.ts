import { afterAll, beforeAll, expect, it } from "vitest";
import { startHarness, waitFor, type Harness } from "./harness";

// The provider's rate limit (here 5 requests/s, Resend's default being 2) met by the shared email
// pace: a burst of changes delivers every email, none failed, and the provider's 429 stays the
// exception (client-side pacing cannot be exact under load; a 429 is retried after its
// Retry-After). Without the pace most of the burst is refused at least once.
const RATE = 5;
const CHANGES = 30;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mailboxRateLimit: RATE, env: { EMAIL_RATE_PER_SECOND: String(RATE) } });
});
afterAll(async () => {
  await h?.stop();
});

it("sends a burst of emails at the provider's rate: all sent, none failed, hardly any refused", async () => {
  const people: Awaited<ReturnType<Harness["signUp"]>>[] = [];
  for (let i = 0; i < CHANGES; i += 1) people.push(await h.signUp(`burst${i}@example.com`, `burst_${i}`));
  await Promise.all(people.map((person, i) => person.api.user.update.mutate({ username: `burst_renamed_${i}` })));

  const emails = await waitFor(
    async () => {
      const rows = await h.database.db.delivery.findMany({
        where: { channel: "email", userId: { in: people.map((p) => p.userId) } },
        include: { attemptLog: true },
      });
      return rows.length === CHANGES && rows.every((r) => r.status !== "queued") ? rows : null;
    },
    { timeoutMs: 60_000, what: `${CHANGES} emails to settle` },
  );
  expect(emails.map((e) => e.status)).toEqual(Array(CHANGES).fill("sent"));
  const refused = emails.flatMap((e) => e.attemptLog).filter((a) => a.outcome === "queued");
  expect(refused.every((a) => /429/.test(a.error ?? ""))).toBe(true);
  expect(refused.length).toBeLessThanOrEqual(CHANGES / 6);
  const sentAt = h.mailbox
    .messages()
    .filter((m) => people.some((_, i) => m.to.includes(`burst${i}@example.com`)))
    .map((m) => Date.parse(m.createdAt))
    .sort((a, b) => a - b);
  expect(sentAt).toHaveLength(CHANGES);
  // Spread over the time the rate asks for, instead of all at once.
  expect(sentAt.at(-1)! - sentAt[0]!).toBeGreaterThanOrEqual(((CHANGES - RATE * 2) / RATE) * 1000);
});
