// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- http_ece ships no types; this declares them for every package that compiles this file
/// <reference path="./http_ece.d.ts" />
import { createECDH, randomBytes, randomUUID, type ECDH } from "node:crypto";
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Agent, createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { decrypt } from "http_ece";
import { loadOrCreateCertificate } from "./tls";
import { verifyVapid, type VapidClaims } from "./vapid";

export type Urgency = "very-low" | "low" | "normal" | "high";

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

export interface FailOptions {
  /** Sent as `Retry-After` (429s default to 1 s). */
  retryAfterSeconds?: number;
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
  /** The next `n` pushes to that subscription ("*" = any) are answered with `status`. */
  failNext(subscriptionId: string, n: number, status: number, options?: FailOptions): void;
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

interface PendingFailure {
  target: string;
  remaining: number;
  status: number;
  retryAfterSeconds: number | undefined;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

// RFC 8030 §7.2 and what FCM/autopush enforce.
const MAX_PAYLOAD_BYTES = 4096;
const URGENCIES: readonly Urgency[] = ["very-low", "low", "normal", "high"];
const TOPIC = /^[A-Za-z0-9_-]{1,32}$/;

export async function startPushService(options: PushServiceOptions = {}): Promise<PushService> {
  const host = options.host ?? "127.0.0.1";
  const tls = await loadOrCreateCertificate([host], options.certDir);
  const subscriptions = new Map<string, Subscription>();
  let messages: ReceivedPush[] = [];
  let failures: PendingFailure[] = [];
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
    subscriptions.set(id, {
      id,
      ecdh,
      auth,
      json,
      applicationServerKey: opts.applicationServerKey ?? null,
      expired: false,
    });
    return { id, subscription: json };
  };

  const requireSubscription = (id: string): Subscription => {
    const sub = subscriptions.get(id);
    if (!sub) throw new Error(`push-service: unknown subscription ${id}`);
    return sub;
  };

  const failNext = (target: string, n: number, status: number, opts: FailOptions = {}): void => {
    if (target !== "*") requireSubscription(target);
    if (!Number.isInteger(n) || n < 1) throw new RangeError("failNext: n must be a positive integer");
    if (!Number.isInteger(status) || status < 400 || status > 599)
      throw new RangeError("failNext: status must be 4xx or 5xx");
    failures.push({ target, remaining: n, status, retryAfterSeconds: opts.retryAfterSeconds });
  };

  const takeFailure = (subscriptionId: string): HttpError | null => {
    // A failure aimed at this subscription goes before a "*" one.
    const next =
      failures.find((f) => f.target === subscriptionId && f.remaining > 0) ??
      failures.find((f) => f.target === "*" && f.remaining > 0);
    if (!next) return null;
    next.remaining--;
    failures = failures.filter((f) => f.remaining > 0);
    const retryAfter = next.retryAfterSeconds ?? (next.status === 429 ? 1 : undefined);
    return new HttpError(
      next.status,
      "Injected failure.",
      retryAfter === undefined ? {} : { "retry-after": String(retryAfter) },
    );
  };

  const expire = (id: string): void => {
    requireSubscription(id).expired = true;
  };

  const received = (subscriptionId?: string): ReceivedPush[] =>
    subscriptionId === undefined ? [...messages] : messages.filter((m) => m.subscriptionId === subscriptionId);

  const reset = (): void => {
    subscriptions.clear();
    messages = [];
    failures = [];
  };

  const handlePush = async (req: IncomingMessage, res: ServerResponse, id: string): Promise<void> => {
    const sub = subscriptions.get(id);
    if (!sub) throw new HttpError(404, "Subscription not found.");
    if (sub.expired) throw new HttpError(410, "Subscription has expired or was unsubscribed.");
    const failure = takeFailure(id);
    if (failure) throw failure;

    const hostHeader = req.headers.host;
    const audiences = hostHeader ? [origin, `https://${hostHeader}`] : [origin];
    const vapid = await verifyVapid(req.headers.authorization, audiences);
    if (!vapid.ok) throw new HttpError(vapid.status, vapid.message);
    if (sub.applicationServerKey !== null && vapid.claims.publicKey !== sub.applicationServerKey) {
      throw new HttpError(403, "VAPID key does not match the applicationServerKey the subscription was created with.");
    }

    const ttlHeader = req.headers.ttl;
    if (ttlHeader === undefined) throw new HttpError(400, "Missing TTL header.");
    const ttl = Number(ttlHeader);
    if (!/^\d+$/.test(String(ttlHeader)) || !Number.isSafeInteger(ttl)) throw new HttpError(400, "Invalid TTL header.");
    const urgency = (req.headers.urgency ?? "normal") as Urgency;
    if (!URGENCIES.includes(urgency)) throw new HttpError(400, `Invalid Urgency header: ${String(urgency)}.`);
    const topicHeader = req.headers.topic;
    const topic = typeof topicHeader === "string" ? topicHeader : null;
    if (topic !== null && !TOPIC.test(topic))
      throw new HttpError(400, "Topic must be at most 32 base64url characters.");

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
    res.writeHead(201, { location: `${origin}/message/${push.id}`, ttl: String(ttl), "content-length": 0 });
    res.end();
  };

  // Control endpoints for out-of-process use (Playwright, other services). CORS is open so a
  // page under test may call them too; they only ever listen on loopback by default.
  const handleControl = async (
    req: IncomingMessage,
    method: string,
    path: string,
    query: URLSearchParams,
  ): Promise<unknown> => {
    if (path === "/__push/subscriptions" && method === "POST") {
      const body = await readJsonObject(req);
      const key = body["applicationServerKey"];
      return createSubscription(typeof key === "string" ? { applicationServerKey: key } : {});
    }
    if (path === "/__push/messages" && method === "GET") {
      const sub = query.get("subscription");
      return { messages: received(sub ?? undefined) };
    }
    if (path === "/__push/fail" && method === "POST") {
      const body = await readJsonObject(req);
      const target = typeof body["subscription"] === "string" ? body["subscription"] : "*";
      const count = typeof body["count"] === "number" ? body["count"] : 1;
      const status = body["status"];
      const retryAfterSeconds = typeof body["retryAfterSeconds"] === "number" ? body["retryAfterSeconds"] : undefined;
      if (typeof status !== "number") throw new HttpError(400, "`status` is required.");
      try {
        failNext(target, count, status, { retryAfterSeconds });
      } catch (err) {
        throw new HttpError(400, (err as Error).message);
      }
      return { ok: true };
    }
    if (path === "/__push/fail" && method === "DELETE") {
      failures = [];
      return { ok: true };
    }
    if (path === "/__push/expire" && method === "POST") {
      const body = await readJsonObject(req);
      const id = body["subscription"];
      if (typeof id !== "string" || !subscriptions.has(id)) throw new HttpError(404, "Subscription not found.");
      expire(id);
      return { ok: true };
    }
    if (path === "/__push/reset" && method === "POST") {
      reset();
      return { ok: true };
    }
    throw new HttpError(404, "Not found.");
  };

  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "https://push.local");
    const path = url.pathname;
    const isControl = path.startsWith("/__push/");
    if (isControl) {
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
        ? handleControl(req, method, path, url.searchParams).then((body) =>
            sendJson(res, method === "POST" && path === "/__push/subscriptions" ? 201 : 200, body),
          )
        : Promise.reject(new HttpError(404, "Not found."));
    work.catch((err: unknown) => {
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
    clearFailures: () => {
      failures = [];
    },
    expire,
    reset,
  };
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  410: "Gone",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

// Error bodies shaped like Mozilla autopush's: { code, error, message }.
function sendError(res: ServerResponse, err: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ code: err.status, error: STATUS_TEXT[err.status] ?? "Error", message: err.message });
  res.writeHead(err.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    ...err.headers,
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `Payload exceeds ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req, 64 * 1024)).toString("utf8");
  if (text.trim() === "") return {};
  const value = parseJson(text);
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new HttpError(400, "Body must be a JSON object.");
  return value as Record<string, unknown>;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
