import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { type Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { importJWK, SignJWT } from "jose";
import webpush, { type RequestOptions, type WebPushError } from "web-push";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startPushService, type PushService } from "./index";

const SUBJECT = "mailto:ops@acme.dev";

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function rawRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string | number>; body?: Buffer | string | null; agent: Agent },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "POST", headers: init.headers, agent: init.agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(init.body ?? undefined);
  });
}

async function sendError(promise: Promise<unknown>): Promise<WebPushError> {
  try {
    await promise;
  } catch (err) {
    return err as WebPushError;
  }
  throw new Error("expected sendNotification to reject");
}

describe("push service with the real web-push SDK", () => {
  let service: PushService;
  const vapid = webpush.generateVAPIDKeys();
  let send: (
    sub: webpush.PushSubscription,
    payload?: string | null,
    options?: RequestOptions,
  ) => Promise<webpush.SendResult>;

  beforeAll(async () => {
    service = await startPushService();
    webpush.setVapidDetails(SUBJECT, vapid.publicKey, vapid.privateKey);
    send = (sub, payload, options) => webpush.sendNotification(sub, payload, { agent: service.agent, ...options });
  });
  afterAll(() => service.stop());
  beforeEach(() => service.reset());

  it("delivers, decrypts and records TTL, urgency, topic and VAPID claims", async () => {
    const { id, subscription } = service.createSubscription();
    const result = await send(subscription, JSON.stringify({ title: "Profile updated", url: "/profile" }), {
      TTL: 120,
      urgency: "high",
      topic: "profile-update",
    });
    expect(result.statusCode).toBe(201);
    expect(result.headers["location"]).toMatch(new RegExp(`^${service.origin}/message/`));

    const [push] = service.received(id);
    expect(push).toMatchObject({
      subscriptionId: id,
      payload: '{"title":"Profile updated","url":"/profile"}',
      json: { title: "Profile updated", url: "/profile" },
      ttl: 120,
      urgency: "high",
      topic: "profile-update",
      vapid: { subject: SUBJECT, audience: service.origin, publicKey: vapid.publicKey },
    });
    expect(result.headers["location"]).toBe(`${service.origin}/message/${push?.id}`);
  });

  it("accepts a push without payload", async () => {
    const { id, subscription } = service.createSubscription();
    await send(subscription, null);
    expect(service.received(id)).toMatchObject([{ payload: null, json: null, urgency: "normal" }]);
  });

  it("accepts plain-text payloads and waits for pushes", async () => {
    const { subscription } = service.createSubscription();
    const waiting = service.waitForPush((p) => p.payload === "hello");
    await send(subscription, "hello");
    await expect(waiting).resolves.toMatchObject({ payload: "hello", json: null });
  });

  it("rejects a VAPID JWT whose signature does not match k with 403", async () => {
    const { id, subscription } = service.createSubscription();
    const other = webpush.generateVAPIDKeys();
    const err = await sendError(
      send(subscription, "x", {
        vapidDetails: { subject: SUBJECT, publicKey: vapid.publicKey, privateKey: other.privateKey },
      }),
    );
    expect(err).toBeInstanceOf(webpush.WebPushError);
    expect(err.statusCode).toBe(403);
    expect(err.body).toMatch(/signature/i);
    expect(service.received(id)).toHaveLength(0);
  });

  it("rejects a VAPID key other than the subscription's applicationServerKey with 403", async () => {
    const { subscription } = service.createSubscription({ applicationServerKey: vapid.publicKey });
    await expect(send(subscription, "ok")).resolves.toMatchObject({ statusCode: 201 });
    const other = webpush.generateVAPIDKeys();
    const err = await sendError(send(subscription, "x", { vapidDetails: { subject: SUBJECT, ...other } }));
    expect(err.statusCode).toBe(403);
  });

  it("answers 410 Gone after expire()", async () => {
    const { id, subscription } = service.createSubscription();
    await send(subscription, "before");
    service.expire(id);
    const err = await sendError(send(subscription, "after"));
    expect(err).toBeInstanceOf(webpush.WebPushError);
    expect(err.statusCode).toBe(410);
    expect(service.received(id).map((p) => p.payload)).toEqual(["before"]);
  });

  it("injects 429 with Retry-After and 500, then recovers", async () => {
    const { id, subscription } = service.createSubscription();
    service.failNext(id, 1, 429, { retryAfterSeconds: 3 });
    service.failNext("*", 1, 500);

    const limited = await sendError(send(subscription, "1"));
    expect(limited.statusCode).toBe(429);
    expect(limited.headers["retry-after"]).toBe("3");
    const broken = await sendError(send(subscription, "2"));
    expect(broken.statusCode).toBe(500);
    await expect(send(subscription, "3")).resolves.toMatchObject({ statusCode: 201 });
    expect(service.received(id).map((p) => p.payload)).toEqual(["3"]);
  });

  it("answers 404 for an unknown subscription", async () => {
    const { subscription } = service.createSubscription();
    const err = await sendError(send({ ...subscription, endpoint: `${service.origin}/push/does-not-exist` }, "x"));
    expect(err.statusCode).toBe(404);
  });

  it("checks TTL, Authorization, audience and expiry on raw requests", async () => {
    const { subscription } = service.createSubscription();
    const details = webpush.generateRequestDetails(subscription, "raw");
    const headers = details.headers as Record<string, string | number>;
    const body = details.body;
    const post = (h: Record<string, string | number>): Promise<RawResponse> =>
      rawRequest(subscription.endpoint, { headers: h, body, agent: service.agent });

    expect((await post(headers)).status).toBe(201);
    const { TTL: _ttl, ...noTtl } = headers;
    expect((await post(noTtl)).status).toBe(400);
    const { Authorization: _auth, ...noAuth } = headers;
    expect((await post(noAuth)).status).toBe(401);
    expect((await post({ ...headers, "Content-Encoding": "aesgcm" })).status).toBe(400);

    const wrongAud = webpush.getVapidHeaders(
      "https://fcm.googleapis.com",
      SUBJECT,
      vapid.publicKey,
      vapid.privateKey,
      "aes128gcm",
    );
    expect((await post({ ...headers, Authorization: wrongAud.Authorization })).status).toBe(403);

    // web-push refuses to mint a token over 24 h, so sign one by hand.
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
    const longLived = await new SignJWT({ sub: SUBJECT })
      .setProtectedHeader({ alg: "ES256", typ: "JWT" })
      .setAudience(service.origin)
      .setExpirationTime("48h")
      .sign(key);
    const res = await post({ ...headers, Authorization: `vapid t=${longLived}, k=${vapid.publicKey}` });
    expect(res.status).toBe(403);
    expect(res.body).toContain("24 hours");
  });

  it("is driven over HTTP by the control endpoints", async () => {
    const json = async (path: string, method: string, payload?: unknown): Promise<RawResponse> =>
      rawRequest(`${service.origin}${path}`, {
        method,
        agent: service.agent,
        headers: { "content-type": "application/json" },
        body: payload === undefined ? null : JSON.stringify(payload),
      });

    const created = await json("/__push/subscriptions", "POST", {});
    expect(created.status).toBe(201);
    const { id, subscription } = JSON.parse(created.body) as { id: string; subscription: webpush.PushSubscription };
    await send(subscription, JSON.stringify({ n: 1 }));

    const listed = JSON.parse((await json(`/__push/messages?subscription=${id}`, "GET")).body) as {
      messages: { json: unknown }[];
    };
    expect(listed.messages).toMatchObject([{ json: { n: 1 } }]);

    await json("/__push/fail", "POST", { subscription: id, count: 1, status: 429, retryAfterSeconds: 5 });
    const limited = await sendError(send(subscription, "x"));
    expect([limited.statusCode, limited.headers["retry-after"]]).toEqual([429, "5"]);

    await json("/__push/expire", "POST", { subscription: id });
    expect((await sendError(send(subscription, "x"))).statusCode).toBe(410);
  });

  it("is not trusted without the agent (self-signed certificate)", async () => {
    const { subscription } = service.createSubscription();
    const err = await sendError(webpush.sendNotification(subscription, "x"));
    expect((err as unknown as { code?: string }).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
  });
});

describe("push service certificate for other processes", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "push-cert-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reuses the certificate in certDir and is trusted through NODE_EXTRA_CA_CERTS", async () => {
    const first = await startPushService({ certDir: dir });
    const certificate = first.certificate;
    await first.stop();
    const service = await startPushService({ certDir: dir });
    try {
      expect(service.certificate).toBe(certificate);
      const script = `require("https").get(process.argv[1], (r) => { console.log(r.statusCode); r.resume(); }).on("error", (e) => { console.log(e.code); })`;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ["-e", script, `${service.origin}/__push/messages`],
        {
          env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, "cert.pem") },
        },
      );
      expect(stdout.trim()).toBe("200");
    } finally {
      await service.stop();
    }
  });
});
