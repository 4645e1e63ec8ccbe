import { Resend } from "resend";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_SENDER_DOMAIN, startMailbox, type Mailbox } from "./index";

const payload = {
  from: `Profile Notify <notifications@${LOCAL_SENDER_DOMAIN}>`,
  to: "ada@example.com",
  subject: "Your profile changed",
  text: "Hello Ada",
};

describe("API key", () => {
  let mailbox: Mailbox;
  beforeAll(async () => {
    mailbox = await startMailbox();
  });
  afterAll(() => mailbox.stop());

  it("generates a local key and accepts only it: 401 missing_api_key, 403 invalid_api_key", async () => {
    expect(mailbox.apiKey).toMatch(/^re_local_[0-9a-f]{32}$/);

    const missing = await new Resend(mailbox.apiKey, { baseUrl: mailbox.url }).emails.send(payload, {
      headers: { Authorization: "" },
    });
    expect(missing).toMatchObject({
      data: null,
      error: { statusCode: 401, name: "missing_api_key", message: "Missing API key in the authorization header." },
    });

    const wrong = await new Resend("re_local_mailbox", { baseUrl: mailbox.url }).emails.send(payload);
    expect(wrong.error).toEqual({ statusCode: 403, name: "invalid_api_key", message: "API key is invalid." });
    const listed = await new Resend("re_wrong", { baseUrl: mailbox.url }).emails.list();
    expect(listed.error).toMatchObject({ statusCode: 403, name: "invalid_api_key" });
    expect(mailbox.messages()).toHaveLength(0);

    const right = await new Resend(mailbox.apiKey, { baseUrl: mailbox.url }).emails.send(payload);
    expect(right.error).toBeNull();
    expect(mailbox.messages()).toHaveLength(1);
  });
});

describe("verified sender domains", () => {
  let mailbox: Mailbox;
  let resend: Resend;
  beforeAll(async () => {
    mailbox = await startMailbox({ rateLimit: 100 });
    resend = new Resend(mailbox.apiKey, { baseUrl: mailbox.url });
  });
  afterAll(() => mailbox.stop());
  afterEach(() => mailbox.reset());

  it("refuses a sender outside the verified domains with Resend's 403, naming the domain", async () => {
    const refused = await resend.emails.send({ ...payload, from: "Profile Notify <notifications@example.com>" });
    expect(refused.error).toMatchObject({ statusCode: 403, name: "validation_error" });
    expect(refused.error?.message).toMatch(
      /^The example\.com domain is not verified\. Please, add and verify your domain on https:\/\/resend\.com\/domains/,
    );
    expect(refused.error?.message).toContain(`verified here: ${LOCAL_SENDER_DOMAIN}`);
    expect(mailbox.messages()).toHaveLength(0);
  });

  it("matches the exact domain, case-insensitively: a subdomain or parent is not verified", async () => {
    expect(
      (await resend.emails.send({ ...payload, from: `NOTIFY@${LOCAL_SENDER_DOMAIN.toUpperCase()}` })).error,
    ).toBeNull();
    const sub = await resend.emails.send({ ...payload, from: `notify@mail.${LOCAL_SENDER_DOMAIN}` });
    expect(sub.error?.message).toContain(`The mail.${LOCAL_SENDER_DOMAIN} domain is not verified`);
    expect(mailbox.messages()).toHaveLength(1);
  });

  it("verifies the configured domains instead of the local default", async () => {
    const custom = await startMailbox({ verifiedDomains: ["Acme.com", "mail.acme.com"] });
    try {
      const client = new Resend(custom.apiKey, { baseUrl: custom.url });
      expect((await client.emails.send({ ...payload, from: "Acme <hello@mail.acme.com>" })).error).toBeNull();
      const local = await client.emails.send(payload);
      expect(local.error?.message).toContain(`The ${LOCAL_SENDER_DOMAIN} domain is not verified`);
      expect(local.error?.message).toContain("verified here: acme.com, mail.acme.com");
    } finally {
      await custom.stop();
    }
  });

  it("rejects a configuration that is not a list of domain names", async () => {
    await expect(startMailbox({ verifiedDomains: ["acme.com", "not a domain"] })).rejects.toThrow(/not a domain/);
  });
});

describe("rate limit (Resend's default 2 requests per second per key)", () => {
  let now = Date.parse("2026-01-01T00:00:00Z");
  let mailbox: Mailbox;
  let resend: Resend;
  beforeAll(async () => {
    mailbox = await startMailbox({ clock: () => now });
    resend = new Resend(mailbox.apiKey, { baseUrl: mailbox.url });
  });
  afterAll(() => mailbox.stop());

  it("sends ratelimit headers on every answer and 429 rate_limit_exceeded with retry-after beyond the limit", async () => {
    const first = await resend.emails.send(payload);
    expect(first.headers).toMatchObject({ "ratelimit-limit": "2", "ratelimit-remaining": "1", "ratelimit-reset": "1" });

    // An invalid request counts and carries the headers too.
    const invalid = await resend.emails.send({ ...payload, to: "nobody" });
    expect(invalid.error?.statusCode).toBe(422);
    expect(invalid.headers).toMatchObject({ "ratelimit-limit": "2", "ratelimit-remaining": "0" });

    const limited = await resend.emails.send(payload);
    expect(limited.error).toEqual({
      statusCode: 429,
      name: "rate_limit_exceeded",
      message:
        "Too many requests. You can only make 2 requests per second. See rate limit response headers for more information. Or contact support to increase rate limit.",
    });
    expect(limited.headers).toMatchObject({ "retry-after": "1", "ratelimit-limit": "2", "ratelimit-remaining": "0" });
    // Reads count against the same budget.
    expect((await resend.emails.list()).error?.statusCode).toBe(429);
    expect(mailbox.messages()).toHaveLength(1);

    now += 999;
    expect((await resend.emails.send(payload)).error?.statusCode).toBe(429);
    now += 1;
    const again = await resend.emails.send(payload);
    expect(again.error).toBeNull();
    expect(again.headers?.["ratelimit-remaining"]).toBe("1");
    expect(mailbox.messages()).toHaveLength(2);
  });

  it("is configurable, and a batch of many emails is one request", async () => {
    now += 10_000;
    const fast = await startMailbox({ rateLimit: 5, clock: () => now });
    try {
      const client = new Resend(fast.apiKey, { baseUrl: fast.url });
      const batch = await client.batch.send(Array.from({ length: 100 }, (_, i) => ({ ...payload, subject: `#${i}` })));
      expect(batch.error).toBeNull();
      expect(batch.headers).toMatchObject({ "ratelimit-limit": "5", "ratelimit-remaining": "4" });
      for (let i = 0; i < 4; i++) expect((await client.emails.send(payload)).error).toBeNull();
      const limited = await client.emails.send(payload);
      expect(limited.error?.message).toContain("You can only make 5 requests per second");
      expect(fast.messages()).toHaveLength(104);
    } finally {
      await fast.stop();
    }
  });
});

describe("production mode", () => {
  it("refuses to start unless asked for a local demo, by option or by LOCAL_DEMO", async () => {
    await expect(startMailbox({ production: true })).rejects.toThrow(
      /Refusing to start the local mailbox .* NODE_ENV=production.*RESEND_API_KEY.*LOCAL_DEMO=on/,
    );
    const demo = await startMailbox({ production: true, localDemo: true });
    await demo.stop();

    const saved = { NODE_ENV: process.env.NODE_ENV, LOCAL_DEMO: process.env.LOCAL_DEMO };
    try {
      process.env.NODE_ENV = "production";
      delete process.env.LOCAL_DEMO;
      await expect(startMailbox()).rejects.toThrow(/Refusing to start the local mailbox/);
      process.env.LOCAL_DEMO = "on";
      await (await startMailbox()).stop();
    } finally {
      Object.assign(process.env, saved);
      if (saved.LOCAL_DEMO === undefined) delete process.env.LOCAL_DEMO;
    }
  });
});
