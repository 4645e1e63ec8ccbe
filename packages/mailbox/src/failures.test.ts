import { Resend } from "resend";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_SENDER_DOMAIN, startMailbox, type Mailbox } from "./index";

const payload = {
  from: `Profile Notify <notifications@${LOCAL_SENDER_DOMAIN}>`,
  to: "ada@example.com",
  subject: "Your profile changed",
  text: "Hello Ada",
};

let mailbox: Mailbox;
let resend: Resend;
beforeAll(async () => {
  mailbox = await startMailbox({ rateLimit: 1_000 });
  resend = new Resend(mailbox.apiKey, { baseUrl: mailbox.url });
});
afterAll(() => mailbox.stop());
afterEach(() => mailbox.reset());

const arm = (body: unknown) =>
  fetch(`${mailbox.url}/__mailbox/fail`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("failure injection after the send is accepted", () => {
  it("stores the email, answers 5xx, and the retry with the same key gets the stored id", async () => {
    mailbox.failNext(1, { status: 503, afterAccept: true });
    const lost = await resend.emails.send(payload, { idempotencyKey: "change/1" });
    expect(lost.error).toMatchObject({ statusCode: 503, name: "application_error" });
    expect(mailbox.messages()).toHaveLength(1);

    const retry = await resend.emails.send(payload, { idempotencyKey: "change/1" });
    expect(retry.data?.id).toBe(mailbox.messages()[0]?.id);
    expect(mailbox.messages()).toHaveLength(1);
  });

  it("resets the connection after storing: the SDK sees no status at all", async () => {
    const armed = await arm({ count: 1, reset: true, afterAccept: true });
    expect(await armed.json()).toEqual({ pending: 1 });
    const lost = await resend.emails.send(payload, { idempotencyKey: "change/2" });
    expect(lost.data).toBeNull();
    expect(lost.error).toMatchObject({ statusCode: null, name: "application_error" });
    expect(mailbox.messages()).toHaveLength(1);

    // Without the key a retry sends again, as Resend would.
    expect((await resend.emails.send(payload)).error).toBeNull();
    expect(mailbox.messages()).toHaveLength(2);
  });

  it("applies to batches, and a send refused by validation does not use up the failure", async () => {
    mailbox.failNext(1, { status: 500, afterAccept: true });
    expect((await resend.emails.send({ ...payload, to: "nobody" })).error?.statusCode).toBe(422);
    const lost = await resend.batch.send([payload, payload], { idempotencyKey: "batch/2" });
    expect(lost.error?.statusCode).toBe(500);
    expect(mailbox.messages()).toHaveLength(2);
    const retry = await resend.batch.send([payload, payload], { idempotencyKey: "batch/2" });
    expect(retry.data?.data.map((e) => e.id).sort()).toEqual(
      mailbox
        .messages()
        .map((m) => m.id)
        .sort(),
    );
  });
});

describe("failure injection before the send", () => {
  it("resets the connection without storing anything", async () => {
    mailbox.failNext(1, { reset: true });
    const lost = await resend.emails.send(payload, { idempotencyKey: "change/3" });
    expect(lost.error?.statusCode).toBeNull();
    expect(mailbox.messages()).toHaveLength(0);
    expect((await resend.emails.send(payload, { idempotencyKey: "change/3" })).error).toBeNull();
  });

  it("refuses arming requests that make no sense", async () => {
    expect(() => mailbox.failNext(1, { status: 422, afterAccept: true })).toThrow(/5xx status or `reset: true`/);
    expect(() => mailbox.failNext(1, { status: 500, reset: true })).toThrow(/either `status` or `reset: true`/);
    expect(() => mailbox.failNext(0, { status: 500 })).toThrow(/positive integer/);
    const bad = await arm({ count: 1, afterAccept: true });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ name: "validation_error" });
    expect((await resend.emails.send(payload)).error).toBeNull();
  });
});

describe("failure injection for one recipient", () => {
  it("fails only a send to that address; other sends pass it by and keep their order", async () => {
    expect((await arm({ count: 1, status: 422, name: "validation_error", to: "Grace <grace@example.com>" })).ok).toBe(
      true,
    );
    mailbox.failNext(1, { status: 500 });
    // Ada's send takes the unscoped 500, not Grace's 422.
    const ada = await resend.emails.send(payload);
    expect(ada.error).toMatchObject({ statusCode: 500 });
    const adaAgain = await resend.emails.send(payload);
    expect(adaAgain.error).toBeNull();
    const grace = await resend.emails.send({ ...payload, to: ["someone@example.com"], bcc: "GRACE@example.com" });
    expect(grace.error).toMatchObject({ statusCode: 422, name: "validation_error" });
    expect((await resend.emails.send({ ...payload, to: "grace@example.com" })).error).toBeNull();
  });
});
