import { Resend } from "resend";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_SENDER_DOMAIN, startMailbox, type Mailbox } from "./index";

const payload = {
  from: `Profile Notify <notifications@${LOCAL_SENDER_DOMAIN}>`,
  to: "ada@example.com",
  subject: "Your profile changed",
  text: "Hello Ada",
};
const DAY_MS = 24 * 60 * 60 * 1000;

let now = Date.parse("2026-01-01T00:00:00Z");
let mailbox: Mailbox;
let resend: Resend;
beforeAll(async () => {
  mailbox = await startMailbox({ rateLimit: 1_000, clock: () => now });
  resend = new Resend(mailbox.apiKey, { baseUrl: mailbox.url });
});
afterAll(() => mailbox.stop());
afterEach(() => mailbox.reset());

describe("Idempotency-Key", () => {
  it("answers 409 concurrent_idempotent_requests while a request with the same key is in flight", async () => {
    const gate = mailbox.pauseSends();
    const first = resend.emails.send(payload, { idempotencyKey: "change-1/email/0" });
    await gate.held();

    const overlapping = await resend.emails.send(payload, { idempotencyKey: "change-1/email/0" });
    expect(overlapping.error).toEqual({
      statusCode: 409,
      name: "concurrent_idempotent_requests",
      message: "Same idempotency key used while original request is still in progress.",
    });
    // Another key is not held up by it.
    const other = resend.emails.send(payload, { idempotencyKey: "change-2/email/0" });
    await gate.held(2);

    gate.release();
    const [a, b] = await Promise.all([first, other]);
    expect(a.error).toBeNull();
    expect(b.error).toBeNull();
    const repeat = await resend.emails.send(payload, { idempotencyKey: "change-1/email/0" });
    expect(repeat.data?.id).toBe(a.data?.id);
    expect(mailbox.messages()).toHaveLength(2);
  });

  it("replays the first answer for 24 hours, then treats the key as new", async () => {
    const first = await resend.emails.send(payload, { idempotencyKey: "k" });
    now += DAY_MS;
    const replayed = await resend.emails.send({ ...payload }, { idempotencyKey: "k" });
    expect(replayed.data?.id).toBe(first.data?.id);
    expect(mailbox.messages()).toHaveLength(1);

    now += 1;
    const fresh = await resend.emails.send(payload, { idempotencyKey: "k" });
    expect(fresh.error).toBeNull();
    expect(fresh.data?.id).not.toBe(first.data?.id);
    expect(mailbox.messages()).toHaveLength(2);
  });

  it("refuses the same key with another body (409 invalid_idempotent_request), and keys over 256 chars", async () => {
    await resend.emails.send(payload, { idempotencyKey: "k2" });
    const reused = await resend.emails.send({ ...payload, subject: "other" }, { idempotencyKey: "k2" });
    expect(reused.error).toMatchObject({ statusCode: 409, name: "invalid_idempotent_request" });
    const long = await resend.emails.send(payload, { idempotencyKey: "x".repeat(257) });
    expect(long.error).toEqual({
      statusCode: 400,
      name: "invalid_idempotency_key",
      message: "The key must be between 1-256 chars.",
    });
    expect(mailbox.messages()).toHaveLength(1);
  });

  it("does not remember a refused request: the corrected retry goes through", async () => {
    const refused = await resend.emails.send({ ...payload, from: "x@example.com" }, { idempotencyKey: "k3" });
    expect(refused.error?.statusCode).toBe(403);
    const corrected = await resend.emails.send(payload, { idempotencyKey: "k3" });
    expect(corrected.error).toBeNull();
  });
});

describe("POST /emails/batch", () => {
  const emails = [
    { ...payload, to: "a@example.com" },
    { ...payload, to: ["b@example.com", "c@example.com"] },
  ];

  it("sends up to 100 emails in one request and replays them under the same idempotency key", async () => {
    const sent = await resend.batch.send(emails, { idempotencyKey: "batch/1" });
    expect(sent.error).toBeNull();
    expect(sent.data?.data).toHaveLength(2);
    expect(mailbox.messages().map((m) => m.to)).toEqual([["b@example.com", "c@example.com"], ["a@example.com"]]);

    const replayed = await resend.batch.send(emails, { idempotencyKey: "batch/1" });
    expect(replayed.data?.data).toEqual(sent.data?.data);
    const changed = await resend.batch.send(emails.slice(0, 1), { idempotencyKey: "batch/1" });
    expect(changed.error).toMatchObject({ statusCode: 409, name: "invalid_idempotent_request" });
    expect(mailbox.messages()).toHaveLength(2);
  });

  it("refuses more than 100 emails, an empty batch, and fields the batch endpoint does not support", async () => {
    const tooMany = await resend.batch.send(Array.from({ length: 101 }, () => payload));
    expect(tooMany.error).toMatchObject({ statusCode: 422, name: "validation_error" });
    expect((await resend.batch.send([])).error?.statusCode).toBe(422);
    const scheduled = await resend.batch.send([payload, { ...payload, scheduledAt: "in 1 hour" }]);
    expect(scheduled.error?.message).toContain("`scheduled_at` field is not supported for batch emails");
    // The SDK's types leave `attachments` out of batch emails; the API is what refuses it.
    const withAttachment = { ...payload, attachments: [{ filename: "a.txt", content: "aGk=" }] };
    const attached = await resend.batch.send([withAttachment as typeof payload]);
    expect(attached.error?.message).toContain("`attachments` field is not supported for batch emails");
    expect(mailbox.messages()).toHaveLength(0);
  });

  it("strict mode refuses the whole batch for one bad email; permissive sends the others and lists errors", async () => {
    const mixed = [payload, { ...payload, from: "Other <x@example.com>" }, { ...payload, to: "not-an-address" }];
    const strict = await resend.batch.send(mixed);
    expect(strict.error).toMatchObject({ statusCode: 403, name: "validation_error" });
    expect(strict.error?.message).toMatch(/The example\.com domain is not verified.*\(emails\[1\]\)$/);
    expect(mailbox.messages()).toHaveLength(0);

    const permissive = await resend.batch.send(mixed, { batchValidation: "permissive" });
    expect(permissive.error).toBeNull();
    expect(permissive.data?.data).toHaveLength(1);
    expect(permissive.data?.errors).toEqual([
      { index: 1, message: expect.stringContaining("The example.com domain is not verified") },
      { index: 2, message: expect.stringContaining("`to`") },
    ]);
    expect(mailbox.messages()).toHaveLength(1);
  });
});
