import { createHash, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EmailStore, type StoredEmail } from "./store";
import { validateEmail, type EmailInput, type ResendErrorBody } from "./validation";

export interface MailboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Interface to listen on; loopback by default so the dev mailbox is not exposed. */
  host?: string;
  /** Keep messages as JSON files under this directory so they survive restarts; omitted = memory only. */
  dataDir?: string;
  /** When set, only `Authorization: Bearer <apiKey>` is accepted (others get 403 `invalid_api_key`). */
  apiKey?: string;
}

export interface FailureOptions {
  /** HTTP status to answer with, e.g. 429, 500, 503. */
  status: number;
  /** Sent as `retry-after`; 429s default to 1 second, like Resend. */
  retryAfterSeconds?: number;
  /** Resend error name; derived from the status when omitted. */
  name?: string;
  message?: string;
}

export interface WaitOptions {
  timeoutMs?: number;
}

export interface Mailbox {
  /** Base URL for `new Resend(key, { baseUrl })` / RESEND_BASE_URL. */
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Newest first. */
  messages(): StoredEmail[];
  /** The next `n` sends (POST /emails or /emails/batch) fail with the given error. */
  failNext(n: number, failure: FailureOptions): void;
  clearFailures(): void;
  /** Drops messages (also on disk), idempotency records and pending failures. */
  reset(): Promise<void>;
  /** Resolves with the first stored message (already there or arriving) that matches. */
  waitForMessage(predicate?: (email: StoredEmail) => boolean, options?: WaitOptions): Promise<StoredEmail>;
}

const MAX_BODY_BYTES = 40 * 1024 * 1024;
const MAX_BATCH = 100;

const DEFAULT_ERRORS: Record<number, Omit<ResendErrorBody, "statusCode">> = {
  400: { name: "validation_error", message: "We found an error with one or more fields in the request." },
  401: { name: "missing_api_key", message: "Missing API key in the authorization header." },
  403: { name: "invalid_api_key", message: "API key is invalid." },
  404: { name: "not_found", message: "The requested endpoint does not exist." },
  409: {
    name: "concurrent_idempotent_requests",
    message: "Same idempotency key used while original request is still in progress.",
  },
  422: { name: "validation_error", message: "We found an error with one or more fields in the request." },
  429: { name: "rate_limit_exceeded", message: "Too many requests. You can only make 2 requests per second." },
  500: { name: "internal_server_error", message: "An unexpected error occurred." },
};

function defaultError(status: number): Omit<ResendErrorBody, "statusCode"> {
  return (
    DEFAULT_ERRORS[status] ??
    (status >= 500
      ? {
          name: "application_error",
          message: "Internal server error. We are unable to process your request right now, please try again later.",
        }
      : { name: "validation_error", message: "The request could not be processed." })
  );
}

class HttpError extends Error {
  constructor(
    readonly body: ResendErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

const fail = (statusCode: number, name: string, message: string): HttpError =>
  new HttpError({ statusCode, name, message });

interface PendingFailure extends FailureOptions {
  remaining: number;
}

export async function startMailbox(options: MailboxOptions = {}): Promise<Mailbox> {
  const store = new EmailStore(options.dataDir);
  await store.load();
  const arrivals = new EventEmitter();
  let failures: PendingFailure[] = [];

  const failNext = (n: number, failure: FailureOptions): void => {
    if (!Number.isInteger(n) || n < 1) throw new RangeError("failNext: n must be a positive integer");
    if (!Number.isInteger(failure.status) || failure.status < 400 || failure.status > 599) {
      throw new RangeError("failNext: status must be a 4xx or 5xx code");
    }
    failures.push({ ...failure, remaining: n });
  };

  const takeFailure = (): HttpError | null => {
    const next = failures.find((f) => f.remaining > 0);
    if (!next) return null;
    next.remaining--;
    failures = failures.filter((f) => f.remaining > 0);
    const base = defaultError(next.status);
    const retryAfter = next.retryAfterSeconds ?? (next.status === 429 ? 1 : undefined);
    const headers: Record<string, string> = {};
    if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
    if (next.status === 429) {
      Object.assign(headers, {
        "ratelimit-limit": "2",
        "ratelimit-remaining": "0",
        "ratelimit-reset": String(retryAfter),
      });
    }
    return new HttpError(
      { statusCode: next.status, name: next.name ?? base.name, message: next.message ?? base.message },
      headers,
    );
  };

  const authorize = (req: IncomingMessage): void => {
    const header = req.headers.authorization ?? "";
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!token) {
      throw fail(
        401,
        "missing_api_key",
        "Missing API key in the authorization header. Include the following header in the request: Authorization: Bearer YOUR_API_KEY.",
      );
    }
    if (options.apiKey !== undefined && token !== options.apiKey)
      throw fail(403, "invalid_api_key", "API key is invalid.");
  };

  const idempotencyKeyOf = (req: IncomingMessage): string | null => {
    const key = req.headers["idempotency-key"];
    if (key === undefined) return null;
    const value = Array.isArray(key) ? key.join(",") : key;
    if (value.length < 1 || value.length > 256) {
      throw fail(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
    }
    return value;
  };

  /** Same key + same body → the stored ids; same key + other body → 409. */
  const replay = (key: string | null, payloadHash: string): string[] | null => {
    if (key === null) return null;
    const previous = store.findByIdempotencyKey(key);
    if (previous.length === 0) return null;
    if (previous.some((p) => p.payloadHash !== payloadHash)) {
      throw fail(
        409,
        "invalid_idempotent_request",
        "Same idempotency key used with a different request payload. Change your idempotency key or payload.",
      );
    }
    return previous.map((p) => p.email.id);
  };

  const save = async (input: EmailInput, key: string | null, payloadHash: string): Promise<StoredEmail> => {
    const email: StoredEmail = { id: randomUUID(), createdAt: new Date().toISOString(), idempotencyKey: key, ...input };
    await store.add(email, payloadHash);
    arrivals.emit("email", email);
    return email;
  };

  const sendOne = async (req: IncomingMessage): Promise<{ id: string }> => {
    authorize(req);
    const key = idempotencyKeyOf(req);
    const failure = takeFailure();
    if (failure) throw failure;
    const { body, hash } = await readJson(req);
    const validated = validateEmail(body);
    if (!validated.ok) throw new HttpError(validated.error);
    const ids = replay(key, hash);
    if (ids?.[0]) return { id: ids[0] };
    return { id: (await save(validated.email, key, hash)).id };
  };

  const sendBatch = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    authorize(req);
    const key = idempotencyKeyOf(req);
    const failure = takeFailure();
    if (failure) throw failure;
    const { body, hash } = await readJson(req);
    if (!Array.isArray(body) || body.length === 0 || body.length > MAX_BATCH) {
      throw fail(422, "validation_error", `The request body must be an array of 1 to ${MAX_BATCH} emails.`);
    }
    const permissive = req.headers["x-batch-validation"] === "permissive";
    const results = body.map((item) => validateEmail(item));
    const errors = results.flatMap((r, index) => (r.ok ? [] : [{ index, message: r.error.message }]));
    if (!permissive && errors[0]) {
      const first = results[errors[0].index];
      if (first && !first.ok)
        throw new HttpError({ ...first.error, message: `${first.error.message} (emails[${errors[0].index}])` });
    }
    const ids = replay(key, hash);
    if (ids) return permissive ? { data: ids.map((id) => ({ id })), errors } : { data: ids.map((id) => ({ id })) };
    const data: { id: string }[] = [];
    for (const r of results) if (r.ok) data.push({ id: (await save(r.email, key, hash)).id });
    return permissive ? { data, errors } : { data };
  };

  const handleApi = async (
    req: IncomingMessage,
    method: string,
    path: string,
    query: URLSearchParams,
  ): Promise<unknown> => {
    if (path === "/emails") {
      if (method === "POST") return sendOne(req);
      if (method === "GET") {
        authorize(req);
        return listEmails(store.list(), query);
      }
      throw fail(405, "method_not_allowed", "Method is not allowed for the requested path.");
    }
    if (path === "/emails/batch") {
      if (method === "POST") return sendBatch(req);
      throw fail(405, "method_not_allowed", "Method is not allowed for the requested path.");
    }
    const match = /^\/emails\/([^/]+)$/.exec(path);
    if (match?.[1]) {
      if (method !== "GET") throw fail(405, "method_not_allowed", "Method is not allowed for the requested path.");
      authorize(req);
      const email = store.get(decodeURIComponent(match[1]));
      if (!email) throw fail(404, "not_found", "Email not found");
      return toResendEmail(email);
    }
    throw fail(404, "not_found", "The requested endpoint does not exist.");
  };

  // Control endpoints: no auth, they are for tests and the dev UI on loopback.
  const handleControl = async (req: IncomingMessage, method: string, path: string): Promise<unknown> => {
    if (path === "/__mailbox/messages" && method === "GET") return { data: store.list() };
    if (path === "/__mailbox/messages" && method === "DELETE") {
      await store.clear();
      return { deleted: true };
    }
    const one = /^\/__mailbox\/messages\/([^/]+)$/.exec(path);
    if (one?.[1] && method === "GET") {
      const email = store.get(decodeURIComponent(one[1]));
      if (!email) throw fail(404, "not_found", "Email not found");
      return email;
    }
    if (path === "/__mailbox/fail" && method === "POST") {
      const { body } = await readJson(req);
      const b = (body ?? {}) as Record<string, unknown>;
      const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
      const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
      const status = num(b["status"]);
      if (status === undefined) throw fail(422, "validation_error", "Missing `status` field.");
      try {
        failNext(num(b["count"]) ?? 1, {
          status,
          retryAfterSeconds: num(b["retryAfterSeconds"]),
          name: str(b["name"]),
          message: str(b["message"]),
        });
      } catch (err) {
        throw fail(422, "validation_error", (err as Error).message);
      }
      return { pending: failures.reduce((n, f) => n + f.remaining, 0) };
    }
    if (path === "/__mailbox/fail" && method === "DELETE") {
      failures = [];
      return { pending: 0 };
    }
    throw fail(404, "not_found", "The requested endpoint does not exist.");
  };

  const server = createServer((req, res) => {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://mailbox.local");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const handler = path.startsWith("/__mailbox/")
      ? handleControl(req, method, path)
      : handleApi(req, method, path, url.searchParams);
    handler.then(
      (body) => respond(res, 200, body),
      (err: unknown) => {
        if (err instanceof HttpError) return respond(res, err.body.statusCode, err.body, err.headers);
        console.error("[mailbox] unexpected error", err);
        respond(res, 500, { statusCode: 500, ...defaultError(500) });
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    messages: () => store.list(),
    failNext,
    clearFailures: () => {
      failures = [];
    },
    reset: async () => {
      failures = [];
      await store.clear();
    },
    waitForMessage: (predicate = () => true, { timeoutMs = 5_000 } = {}) => {
      const existing = store.list().find(predicate);
      if (existing) return Promise.resolve(existing);
      return new Promise<StoredEmail>((resolve, reject) => {
        const onEmail = (email: StoredEmail): void => {
          if (!predicate(email)) return;
          clearTimeout(timer);
          arrivals.off("email", onEmail);
          resolve(email);
        };
        const timer = setTimeout(() => {
          arrivals.off("email", onEmail);
          reject(new Error(`mailbox: no matching message within ${timeoutMs} ms`));
        }, timeoutMs);
        arrivals.on("email", onEmail);
      });
    },
  };
}

async function readJson(req: IncomingMessage): Promise<{ body: unknown; hash: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw fail(413, "validation_error", "The request body exceeds the 40MB limit.");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  let body: unknown;
  try {
    body = text.length === 0 ? undefined : JSON.parse(text);
  } catch {
    throw fail(400, "validation_error", "The request body is not valid JSON.");
  }
  return { body, hash: createHash("sha256").update(canonicalJson(body)).digest("hex") };
}

/** JSON with sorted keys, so key order does not make two equal payloads differ. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function respond(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** Resend's `GET /emails/:id` shape. */
export function toResendEmail(email: StoredEmail): ResendEmail {
  return {
    object: "email",
    id: email.id,
    to: email.to,
    from: email.from,
    created_at: email.createdAt,
    subject: email.subject,
    html: email.html,
    text: email.text,
    bcc: email.bcc.length ? email.bcc : null,
    cc: email.cc.length ? email.cc : null,
    reply_to: email.replyTo.length ? email.replyTo : null,
    // Resend's own test domain does not deliver, and neither do we: everything is "delivered" locally.
    last_event: email.scheduledAt && Date.parse(email.scheduledAt) > Date.now() ? "scheduled" : "delivered",
    scheduled_at: email.scheduledAt,
    tags: email.tags,
    topic_id: email.topicId,
    message_id: `<${email.id}@mailbox.local>`,
  };
}

export interface ResendEmail {
  object: "email";
  id: string;
  to: string[];
  from: string;
  created_at: string;
  subject: string;
  html: string | null;
  text: string | null;
  bcc: string[] | null;
  cc: string[] | null;
  reply_to: string[] | null;
  last_event: "delivered" | "scheduled";
  scheduled_at: string | null;
  tags: { name: string; value: string }[];
  topic_id: string | null;
  message_id: string;
}

/** Resend's cursor pagination: `limit` 1..100 (default 20), `after`/`before` an email id. */
function listEmails(all: StoredEmail[], query: URLSearchParams): Record<string, unknown> {
  const limitParam = query.get("limit");
  const limit = limitParam === null ? 20 : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw fail(422, "validation_error", "Invalid `limit` parameter. It must be an integer between 1 and 100.");
  }
  const after = query.get("after");
  const before = query.get("before");
  let page: StoredEmail[];
  let hasMore: boolean;
  if (before) {
    const end = all.findIndex((e) => e.id === before);
    const upTo = end === -1 ? 0 : end;
    page = all.slice(Math.max(0, upTo - limit), upTo);
    hasMore = upTo - limit > 0;
  } else {
    const start = after ? all.findIndex((e) => e.id === after) + 1 : 0;
    const from = after && start === 0 ? all.length : start;
    page = all.slice(from, from + limit);
    hasMore = from + limit < all.length;
  }
  return {
    object: "list",
    has_more: hasMore,
    data: page.map((e) => {
      const { html: _html, text: _text, tags: _tags, object: _object, ...rest } = toResendEmail(e);
      return rest;
    }),
  };
}
