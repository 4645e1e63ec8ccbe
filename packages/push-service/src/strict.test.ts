import { type Agent, request } from "node:https";
import { importJWK, SignJWT } from "jose";
import webpush, { type RequestOptions, type WebPushError } from "web-push";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MAX_TTL_SECONDS, startPushService, type PushService } from "./index";

const SUBJECT = "mailto:ops@acme.dev";
const vapid = webpush.generateVAPIDKeys();

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function post(url: string, headers: Record<string, string | number>, body: Buffer | null, agent: Agent) {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = request(url, { method: "POST", headers, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body ?? undefined);
  });
}

async function rejection(promise: Promise<unknown>): Promise<WebPushError & { code?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as WebPushError & { code?: string };
  }
  throw new Error("expected sendNotification to reject");
}

/** A VAPID header web-push would refuse to mint (its own checks run first). */
async function signedHeader(claims: { sub?: string; aud: string; exp: number }): Promise<string> {
  const pub = Buffer.from(vapid.publicKey, "base64url");
  const key = await importJWK(
    {
      kty: "EC",
      crv: "P-256",
      d: vapid.privateKey,
      x: pub.subarray(1, 33).toString("base64url"),
      y: pub.subarray(33).toString("base64url"),
    },
    "ES256",
  );
  const jwt = await new SignJWT(claims.sub === undefined ? {} : { sub: claims.sub })
    .setProtectedHeader({ alg: "ES256", typ: "JWT" })
    .setAudience(claims.aud)
    .setExpirationTime(claims.exp)
    .sign(key);
  return `vapid t=${jwt}, k=${vapid.publicKey}`;
}

let service: PushService;
let send: (sub: webpush.PushSubscription, payload?: string | null, options?: RequestOptions) => Promise<unknown>;
beforeAll(async () => {
  service = await startPushService();
  send = (sub, payload, options) =>
    webpush.sendNotification(sub, payload, {
      agent: service.agent,
      vapidDetails: { subject: SUBJECT, ...vapid },
      ...options,
    });
});
afterAll(() => service.stop());
afterEach(() => service.reset());

describe("VAPID subject, judged the way Apple's push service does", () => {
  it.each([
    "mailto:ops@localhost",
    "mailto:support@example.com",
    "mailto:ops@mail.example.org",
    "mailto:ops@profile-notify.test",
    "https://localhost:3000",
    "https://app.local/contact",
    "https://127.0.0.1",
  ])("refuses %s with 403 BadJwtToken", async (subject) => {
    const { id, subscription } = service.createSubscription();
    const err = await rejection(send(subscription, "x", { vapidDetails: { subject, ...vapid } }));
    expect(err.statusCode).toBe(403);
    expect(JSON.parse(err.body)).toEqual({ reason: "BadJwtToken" });
    expect(service.received(id)).toHaveLength(0);
  });

  it.each(["mailto:ops@acme.dev", "https://acme.com/contact"])("accepts %s", async (subject) => {
    const { id, subscription } = service.createSubscription();
    await send(subscription, "x", { vapidDetails: { subject, ...vapid } });
    expect(service.received(id)[0]?.vapid.subject).toBe(subject);
  });

  it("accepts any mailto:/https: subject when configured for RFC 8292 only, and never an http: one", async () => {
    const lenient = await startPushService({ vapidSubjects: "uri" });
    try {
      const { id, subscription } = lenient.createSubscription();
      await webpush.sendNotification(subscription, "x", {
        agent: lenient.agent,
        vapidDetails: { subject: "mailto:support@example.com", ...vapid },
      });
      expect(lenient.received(id)).toHaveLength(1);

      const details = webpush.generateRequestDetails(subscription, null, {
        vapidDetails: { subject: SUBJECT, ...vapid },
      });
      const headers = details.headers as Record<string, string | number>;
      const exp = Math.floor(Date.now() / 1000) + 600;
      const http = await post(
        subscription.endpoint,
        { ...headers, Authorization: await signedHeader({ sub: "http://acme.com", aud: lenient.origin, exp }) },
        null,
        lenient.agent,
      );
      expect(http.status).toBe(403);
      expect(http.body).toMatch(/mailto: or https:/);
      const missing = await post(
        subscription.endpoint,
        { ...headers, Authorization: await signedHeader({ aud: lenient.origin, exp }) },
        null,
        lenient.agent,
      );
      expect(missing.status).toBe(403);
    } finally {
      await lenient.stop();
    }
  });
});

describe("RFC 8030 / RFC 8292 answers", () => {
  it("takes 4096 bytes of encrypted body (3993 of plaintext) and answers 413 beyond", async () => {
    const { id, subscription } = service.createSubscription();
    await send(subscription, "a".repeat(3993));
    const err = await rejection(send(subscription, "a".repeat(3994)));
    expect(err.statusCode).toBe(413);
    expect(service.received(id).map((p) => p.payload?.length)).toEqual([3993]);
  });

  it("keeps a message at most 4 weeks and says so in the TTL header", async () => {
    const { id, subscription } = service.createSubscription();
    const long = (await send(subscription, "x", { TTL: 60 * 24 * 60 * 60 })) as webpush.SendResult;
    expect(long.headers["ttl"]).toBe(String(MAX_TTL_SECONDS));
    const short = (await send(subscription, "x", { TTL: 0 })) as webpush.SendResult;
    expect(short.headers["ttl"]).toBe("0");
    expect(service.received(id).map((p) => p.ttl)).toEqual([60 * 24 * 60 * 60, 0]);
  });

  it("answers 400 for a malformed TTL, Urgency or Topic", async () => {
    const { id, subscription } = service.createSubscription();
    const details = webpush.generateRequestDetails(subscription, "x", { vapidDetails: { subject: SUBJECT, ...vapid } });
    const headers = details.headers as Record<string, string | number>;
    const attempt = (h: Record<string, string | number>) => post(subscription.endpoint, h, details.body, service.agent);

    expect((await attempt({ ...headers, TTL: "-1" })).status).toBe(400);
    expect((await attempt({ ...headers, TTL: "1.5" })).status).toBe(400);
    expect((await attempt({ ...headers, Urgency: "urgent" })).status).toBe(400);
    expect((await attempt({ ...headers, Topic: "t".repeat(33) })).status).toBe(400);
    expect((await attempt({ ...headers, Topic: "has=padding" })).status).toBe(400);
    expect(service.received(id)).toHaveLength(0);
    expect((await attempt({ ...headers, Urgency: "very-low", Topic: "t".repeat(32) })).status).toBe(201);
  });

  it("answers 403 for an expired JWT and for one minted for another push service", async () => {
    const { subscription } = service.createSubscription();
    const details = webpush.generateRequestDetails(subscription, null, {
      vapidDetails: { subject: SUBJECT, ...vapid },
    });
    const headers = details.headers as Record<string, string | number>;
    const now = Math.floor(Date.now() / 1000);
    const expired = await signedHeader({ sub: SUBJECT, aud: service.origin, exp: now - 3600 });
    const elsewhere = await signedHeader({ sub: SUBJECT, aud: "https://web.push.apple.com", exp: now + 600 });
    for (const authorization of [expired, elsewhere]) {
      const res = await post(subscription.endpoint, { ...headers, Authorization: authorization }, null, service.agent);
      expect(res.status).toBe(403);
    }
  });
});

describe("failure injection after the push was accepted", () => {
  it("records the message for the device, then answers 5xx to the sender", async () => {
    const { id, subscription } = service.createSubscription();
    service.failNext(id, 1, 503, { afterAccept: true, retryAfterSeconds: 2 });
    const err = await rejection(send(subscription, "first"));
    expect([err.statusCode, err.headers["retry-after"]]).toEqual([503, "2"]);
    expect(service.received(id).map((p) => p.payload)).toEqual(["first"]);
  });

  it("resets the connection after recording the message, or before when not after accept", async () => {
    const { id, subscription } = service.createSubscription();
    service.failNext("*", 1, "reset");
    expect((await rejection(send(subscription, "never"))).code).toBe("ECONNRESET");
    expect(service.received(id)).toHaveLength(0);

    const armed = await post(
      `${service.origin}/__push/fail`,
      { "content-type": "application/json" },
      Buffer.from(JSON.stringify({ subscription: id, status: "reset", afterAccept: true })),
      service.agent,
    );
    expect(armed.status).toBe(200);
    expect((await rejection(send(subscription, "kept"))).code).toBe("ECONNRESET");
    expect(service.received(id).map((p) => p.payload)).toEqual(["kept"]);
    await send(subscription, "next");
    expect(service.received(id)).toHaveLength(2);
  });

  it("refuses an after-accept failure that is not a 5xx or a reset", () => {
    const { id } = service.createSubscription();
    expect(() => service.failNext(id, 1, 410, { afterAccept: true })).toThrow(/5xx status or "reset"/);
  });
});

describe("production mode", () => {
  it("refuses to start unless asked for a local demo, by option or by LOCAL_DEMO", async () => {
    await expect(startPushService({ production: true })).rejects.toThrow(
      /Refusing to start the local push service .* NODE_ENV=production.*LOCAL_DEMO=on/,
    );
    await (await startPushService({ production: true, localDemo: true })).stop();

    const saved = { NODE_ENV: process.env.NODE_ENV, LOCAL_DEMO: process.env.LOCAL_DEMO };
    try {
      process.env.NODE_ENV = "production";
      delete process.env.LOCAL_DEMO;
      await expect(startPushService()).rejects.toThrow(/Refusing to start the local push service/);
      process.env.LOCAL_DEMO = "on";
      await (await startPushService()).stop();
    } finally {
      Object.assign(process.env, saved);
      if (saved.LOCAL_DEMO === undefined) delete process.env.LOCAL_DEMO;
    }
  });
});
