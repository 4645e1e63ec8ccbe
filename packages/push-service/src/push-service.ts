// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- http_ece ships no types; this declares them for every package that compiles this file
/// <reference path="./http_ece.d.ts" />
import { createECDH, randomBytes, randomUUID, type ECDH } from "node:crypto";
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Agent, createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { assertLocalServiceAllowed } from "@acme/config";
import { decrypt } from "http_ece";
import { handleControl } from "./control";
import { FailureQueue, type FailOptions, type FailStatus } from "./failures";
import { parsePushHeaders, type Urgency } from "./headers";
import { ConnectionReset, HttpError, parseJson, readBody, sendError, sendJson } from "./http";
import { subjectProblem, type SubjectPolicy } from "./subject";
import { loadOrCreateCertificate } from "./tls";
import { verifyVapid, type VapidClaims } from "./vapid";

export interface PushServiceOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Interface to listen on and host of the endpoints; loopback by default. */
  host?: string;
  /**
   * Keep the self-signed certificate as `certDir/cert.pem` (+ key.pem) and reuse it across
   * runs, so another process can trust it with NODE_EXTRA_CA_CERTS. Omitted = fresh each start.
   */
  certDir?: string;
  /**
   * "contact" (default): refuse a VAPID `sub` that is not a reachable contact with Apple's
   * 403 `{"reason":"BadJwtToken"}`. "uri": accept any mailto:/https: URI (RFC 8292 only).
   */
  vapidSubjects?: SubjectPolicy;
  /** Production mode refuses to start unless `localDemo`; both default to NODE_ENV and LOCAL_DEMO. */
  production?: boolean;
  localDemo?: boolean;
}

/** What `PushSubscription.toJSON()` gives in a browser. */
export interface PushSubscriptionJSON {
  endpoint: string;
  expirationTime: null;
  keys: { p256dh: string; auth: string };
}

export interface CreatedSubscription {
  id: string;
  subscription: PushSubscriptionJSON;
}

export interface CreateSubscriptionOptions {
  /**
   * Like `pushManager.subscribe({ applicationServerKey })`: pushes signed with another
   * VAPID key are refused with 403. Omitted = any valid VAPID key is accepted.
   */
  applicationServerKey?: string;
}

export interface ReceivedPush {
  /** Message id, the last segment of the `Location` header. */
  id: string;
  subscriptionId: string;
  /** ISO 8601 */
  receivedAt: string;
  /** Decrypted payload as UTF-8 text; null for a push without payload. */
  payload: string | null;
  /** The payload parsed as JSON, or null when it is not JSON. */
  json: unknown;
  ttl: number;
  urgency: Urgency;
  topic: string | null;
  vapid: VapidClaims;
}

export interface PushService {
  /** `https://127.0.0.1:<port>`: the `aud` VAPID tokens must carry. */
  origin: string;
  port: number;
  /** PEM of the self-signed certificate, for `new https.Agent({ ca })` or NODE_EXTRA_CA_CERTS. */
  certificate: string;
  /** An https.Agent that trusts exactly this service's certificate (pass as web-push's `agent`). */
  agent: Agent;
  stop(): Promise<void>;
  createSubscription(options?: CreateSubscriptionOptions): CreatedSubscription;
  /** Arrival order; all subscriptions when no id is given. */
  received(subscriptionId?: string): ReceivedPush[];
  /** Resolves with the first push (already received or arriving) that matches. */
  waitForPush(predicate?: (push: ReceivedPush) => boolean, options?: { timeoutMs?: number }): Promise<ReceivedPush>;
  /** The next `n` pushes to that subscription ("*" = any) are answered with `status` (or reset). */
  failNext(subscriptionId: string, n: number, status: FailStatus, options?: FailOptions): void;
  clearFailures(): void;
  /** Later pushes to the subscription get 410 Gone, as after a browser unsubscribes. */
  expire(subscriptionId: string): void;
  /** Forgets subscriptions, received pushes and pending failures. */
  reset(): void;
}

interface Subscription {
  id: string;
  ecdh: ECDH;
  auth: string;
  json: PushSubscriptionJSON;
  applicationServerKey: string | null;
  expired: boolean;
}

// RFC 8030 §7.2: 4096 octets of (encrypted) payload body, as FCM and autopush enforce.
const MAX_PAYLOAD_BYTES = 4096;

export async function startPushService(options: PushServiceOptions = {}): Promise<PushService> {
  assertLocalServiceAllowed("push-service", { production: options.production, localDemo: options.localDemo });
  const host = options.host ?? "127.0.0.1";
  const subjects = options.vapidSubjects ?? "contact";
  const tls = await loadOrCreateCertificate([host], options.certDir);
  const subscriptions = new Map<string, Subscription>();
  let messages: ReceivedPush[] = [];
  const failures = new FailureQueue();
  const arrivals = new EventEmitter();
  let origin = "";

  const createSubscription = (opts: CreateSubscriptionOptions = {}): CreatedSubscription => {
    // What a browser does on subscribe: a fresh P-256 key pair and a 16-byte auth secret.
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    const id = randomBytes(16).toString("base64url");
    const auth = randomBytes(16).toString("base64url");
    const json: PushSubscriptionJSON = {
      endpoint: `${origin}/push/${id}`,
      expirationTime: null,
      keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth },
    };
    const applicationServerKey = opts.applicationServerKey ?? null;
    subscriptions.set(id, { id, ecdh, auth, json, applicationServerKey, expired: false });
    return { id, subscription: json };
  };

  const requireSubscription = (id: string): Subscription => {
    const sub = subscriptions.get(id);
    if (!sub) throw new Error(`push-service: unknown subscription ${id}`);
    return sub;
  };

  const failNext = (target: string, n: number, status: FailStatus, opts: FailOptions = {}): void => {
    if (target !== "*") requireSubscription(target);
    failures.add(target, n, status, opts);
  };

  const expire = (id: string): void => {
    requireSubscription(id).expired = true;
  };

  const received = (subscriptionId?: string): ReceivedPush[] =>
    subscriptionId === undefined ? [...messages] : messages.filter((m) => m.subscriptionId === subscriptionId);

  const reset = (): void => {
    subscriptions.clear();
    messages = [];
    failures.clear();
  };

  const handlePush = async (req: IncomingMessage, res: ServerResponse, id: string): Promise<void> => {
    const sub = subscriptions.get(id);
    if (!sub) throw new HttpError(404, "Subscription not found.");
    if (sub.expired) throw new HttpError(410, "Subscription has expired or was unsubscribed.");
    const failure = failures.take(id, "before");
    if (failure) throw failure;

    const hostHeader = req.headers.host;
    const audiences = hostHeader ? [origin, `https://${hostHeader}`] : [origin];
    const vapid = await verifyVapid(req.headers.authorization, audiences);
    if (!vapid.ok) throw new HttpError(vapid.status, vapid.message);
    const placeholder = subjects === "contact" ? subjectProblem(vapid.claims.subject, "contact") : null;
    if (placeholder) throw new HttpError(403, placeholder, {}, { reason: "BadJwtToken" });
    if (sub.applicationServerKey !== null && vapid.claims.publicKey !== sub.applicationServerKey) {
      throw new HttpError(403, "VAPID key does not match the applicationServerKey the subscription was created with.");
    }

    const headers = parsePushHeaders(req.headers);
    if (!headers.ok) throw new HttpError(400, headers.message);
    const body = await readBody(req, MAX_PAYLOAD_BYTES);
    let payload: string | null = null;
    if (body.length > 0) {
      const encoding = req.headers["content-encoding"];
      if (encoding !== "aes128gcm") {
        throw new HttpError(400, `Content-Encoding must be aes128gcm (RFC 8291), got ${encoding ?? "none"}.`);
      }
      try {
        payload = decrypt(body, { version: "aes128gcm", privateKey: sub.ecdh, authSecret: sub.auth }).toString("utf8");
      } catch (err) {
        // A real service cannot read payloads; failing loudly here catches encryption bugs in tests.
        throw new HttpError(
          400,
          `Payload could not be decrypted with the subscription keys: ${(err as Error).message}`,
        );
      }
    }

    const { ttl, retainedTtl, urgency, topic } = headers.value;
    const push: ReceivedPush = {
      id: randomUUID(),
      subscriptionId: id,
      receivedAt: new Date().toISOString(),
      payload,
      json: parseJson(payload),
      ttl,
      urgency,
      topic,
      vapid: vapid.claims,
    };
    messages.push(push);
    arrivals.emit("push", push);
    const lost = failures.take(id, "after");
    if (lost) throw lost;
    res.writeHead(201, { location: `${origin}/message/${push.id}`, ttl: String(retainedTtl), "content-length": 0 });
    res.end();
  };

  const control = {
    createSubscription,
    hasSubscription: (id: string) => subscriptions.has(id),
    received,
    failNext,
    clearFailures: () => failures.clear(),
    expire,
    reset,
  };

  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "https://push.local");
    const path = url.pathname;
    const isControl = path.startsWith("/__push/");
    if (isControl) {
      // CORS is open so a page under test may call the control endpoints too.
      res.setHeader("access-control-allow-origin", "*");
      if (method === "OPTIONS") {
        res.writeHead(204, {
          "access-control-allow-methods": "GET, POST, DELETE",
          "access-control-allow-headers": "content-type",
        });
        res.end();
        return;
      }
    }
    const push = /^\/push\/([^/]+)$/.exec(path);
    const work = push?.[1]
      ? method === "POST"
        ? handlePush(req, res, push[1])
        : Promise.reject(new HttpError(405, "Method not allowed."))
      : isControl
        ? handleControl(control, req, method, path, url.searchParams).then((body) =>
            sendJson(res, method === "POST" && path === "/__push/subscriptions" ? 201 : 200, body),
          )
        : Promise.reject(new HttpError(404, "Not found."));
    work.catch((err: unknown) => {
      // A TLS socket cannot send a TCP RST from here; closing it mid-request reads as ECONNRESET too.
      if (err instanceof ConnectionReset) return req.socket.destroy();
      if (err instanceof HttpError) return sendError(res, err);
      console.error("[push-service] unexpected error", err);
      sendError(res, new HttpError(500, "Internal error."));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const agent = new Agent({ ca: tls.cert });

  return {
    origin,
    port,
    certificate: tls.cert,
    agent,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        agent.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    createSubscription,
    received,
    waitForPush: (predicate = () => true, { timeoutMs = 5_000 } = {}) => {
      const existing = messages.find(predicate);
      if (existing) return Promise.resolve(existing);
      return new Promise<ReceivedPush>((resolve, reject) => {
        const onPush = (p: ReceivedPush): void => {
          if (!predicate(p)) return;
          clearTimeout(timer);
          arrivals.off("push", onPush);
          resolve(p);
        };
        const timer = setTimeout(() => {
          arrivals.off("push", onPush);
          reject(new Error(`push-service: no matching push within ${timeoutMs} ms`));
        }, timeoutMs);
        arrivals.on("push", onPush);
      });
    },
    failNext,
    clearFailures: () => failures.clear(),
    expire,
    reset,
  };
}
