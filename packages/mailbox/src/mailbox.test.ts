import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Resend } from "resend";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LOCAL_SENDER_DOMAIN, startMailbox, type Mailbox } from "./index";

const payload = {
  from: `Acme <noreply@${LOCAL_SENDER_DOMAIN}>`,
  to: "ada@example.com",
  subject: "Your profile changed",
  html: "<p>Hello Ada</p>",
  text: "Hello Ada",
  replyTo: "support@acme.test",
  headers: { "X-Entity-Ref-ID": "evt_1" },
  tags: [{ name: "category", value: "profile_update" }],
};

describe("mailbox with the real resend SDK", () => {
  let mailbox: Mailbox;
  let resend: Resend;

  beforeAll(async () => {
    // Many quick requests per test: the rate limit has its own suite.
    mailbox = await startMailbox({ rateLimit: 1_000 });
    resend = new Resend(mailbox.apiKey, { baseUrl: mailbox.url });
  });
  afterAll(() => mailbox.stop());
  beforeEach(() => mailbox.reset());

  it("accepts a send and stores the message", async () => {
    const { data, error } = await resend.emails.send(payload);
    expect(error).toBeNull();
    expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);

    const [stored] = mailbox.messages();
    expect(stored).toMatchObject({
      id: data?.id,
      from: `Acme <noreply@${LOCAL_SENDER_DOMAIN}>`,
      to: ["ada@example.com"],
      replyTo: ["support@acme.test"],
      subject: "Your profile changed",
      html: "<p>Hello Ada</p>",
      text: "Hello Ada",
      headers: { "X-Entity-Ref-ID": "evt_1" },
      tags: [{ name: "category", value: "profile_update" }],
    });

    const got = await resend.emails.get(data?.id ?? "");
    expect(got.error).toBeNull();
    expect(got.data).toMatchObject({ object: "email", id: data?.id, to: ["ada@example.com"], last_event: "delivered" });

    const list = await resend.emails.list();
    expect(list.data).toMatchObject({ object: "list", has_more: false, data: [{ id: data?.id }] });
  });

  it("lists newest first with cursor pagination", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await resend.emails.send({ ...payload, subject: `#${i}` })).data?.id ?? "");
    const first = await resend.emails.list({ limit: 2 });
    expect(first.data?.data.map((e) => e.id)).toEqual([ids[2], ids[1]]);
    expect(first.data?.has_more).toBe(true);
    const second = await resend.emails.list({ limit: 2, after: ids[1] ?? "" });
    expect(second.data?.data.map((e) => e.id)).toEqual([ids[0]]);
    expect(second.data?.has_more).toBe(false);
  });

  it("names the offending field in validation errors", async () => {
    const badTo = await resend.emails.send({ ...payload, to: "not-an-address" });
    expect(badTo.error).toMatchObject({ statusCode: 422, name: "validation_error" });
    expect(badTo.error?.message).toContain("`to`");

    const { subject: _subject, ...noSubject } = payload;
    const missing = await resend.emails.send(noSubject as typeof payload);
    expect(missing.error).toMatchObject({
      statusCode: 422,
      name: "validation_error",
      message: "Missing `subject` field.",
    });

    const tooMany = await resend.emails.send({
      ...payload,
      to: Array.from({ length: 51 }, (_, i) => `u${i}@example.com`),
    });
    expect(tooMany.error?.message).toContain("`to`");

    const noBody = await resend.emails.send({ from: payload.from, to: payload.to, subject: "x" } as typeof payload);
    expect(noBody.error?.message).toContain("`html`");
    expect(mailbox.messages()).toHaveLength(0);
  });

  it("honours Idempotency-Key: same payload → same id, other payload → 409", async () => {
    const a = await resend.emails.send(payload, { idempotencyKey: "profile-updated/evt_1" });
    const b = await resend.emails.send(payload, { idempotencyKey: "profile-updated/evt_1" });
    expect(a.error).toBeNull();
    expect(b.data?.id).toBe(a.data?.id);
    expect(mailbox.messages()).toHaveLength(1);

    const c = await resend.emails.send({ ...payload, subject: "other" }, { idempotencyKey: "profile-updated/evt_1" });
    expect(c.error).toMatchObject({ statusCode: 409, name: "invalid_idempotent_request" });
    expect(mailbox.messages()).toHaveLength(1);
  });

  it("surfaces an injected 429 with retry-after, then recovers", async () => {
    mailbox.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const limited = await resend.emails.send(payload);
    expect(limited.data).toBeNull();
    expect(limited.error).toMatchObject({ statusCode: 429, name: "rate_limit_exceeded" });
    expect(limited.headers?.["retry-after"]).toBe("7");

    const ok = await resend.emails.send(payload);
    expect(ok.error).toBeNull();
    expect(mailbox.messages()).toHaveLength(1);
  });

  it("surfaces injected 500s, also when armed over HTTP", async () => {
    const armed = await fetch(`${mailbox.url}/__mailbox/fail`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ count: 2, status: 500 }),
    });
    expect(armed.status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const r = await resend.emails.send(payload);
      expect(r.data).toBeNull();
      expect(r.error).toMatchObject({ statusCode: 500, name: "internal_server_error" });
    }
    expect((await resend.emails.send(payload)).error).toBeNull();
  });

  it("retrying with the same idempotency key after a failure stores one message", async () => {
    mailbox.failNext(1, { status: 500 });
    const first = await resend.emails.send(payload, { idempotencyKey: "k1" });
    expect(first.error?.statusCode).toBe(500);
    const retry = await resend.emails.send(payload, { idempotencyKey: "k1" });
    const again = await resend.emails.send(payload, { idempotencyKey: "k1" });
    expect(retry.data?.id).toBeDefined();
    expect(again.data?.id).toBe(retry.data?.id);
    expect(mailbox.messages()).toHaveLength(1);
  });

  it("exposes full messages on the control endpoint and clears them", async () => {
    await resend.emails.send(payload);
    const res = await fetch(`${mailbox.url}/__mailbox/messages`);
    const body = (await res.json()) as { data: { html: string; text: string; headers: Record<string, string> }[] };
    expect(body.data[0]).toMatchObject({ html: payload.html, text: payload.text, headers: payload.headers });
    await fetch(`${mailbox.url}/__mailbox/messages`, { method: "DELETE" });
    expect(mailbox.messages()).toHaveLength(0);
  });

  it("waitForMessage resolves when a matching message arrives", async () => {
    const waiting = mailbox.waitForMessage((e) => e.subject === "later");
    await resend.emails.send({ ...payload, subject: "later" });
    await expect(waiting).resolves.toMatchObject({ subject: "later" });
  });

  it("sends batches", async () => {
    const { data, error } = await resend.batch.send([payload, { ...payload, to: ["b@example.com", "c@example.com"] }]);
    expect(error).toBeNull();
    expect(data?.data).toHaveLength(2);
    expect(mailbox.messages().map((m) => m.to)).toEqual([["b@example.com", "c@example.com"], ["ada@example.com"]]);
  });
});

describe("mailbox persistence", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mailbox-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("keeps messages and idempotency records across a restart", async () => {
    const first = await startMailbox({ dataDir: dir, apiKey: "re_local_x" });
    const sent = await new Resend("re_local_x", { baseUrl: first.url }).emails.send(payload, {
      idempotencyKey: "persist-1",
    });
    await first.stop();

    const second = await startMailbox({ dataDir: dir, apiKey: "re_local_x" });
    try {
      expect(second.messages().map((m) => m.id)).toEqual([sent.data?.id]);
      const resend = new Resend("re_local_x", { baseUrl: second.url });
      const got = await resend.emails.get(sent.data?.id ?? "");
      expect(got.data?.subject).toBe(payload.subject);
      const replay = await resend.emails.send(payload, { idempotencyKey: "persist-1" });
      expect(replay.data?.id).toBe(sent.data?.id);
      expect(second.messages()).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
