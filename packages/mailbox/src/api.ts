// Resend's API as the mailbox answers it: authentication, rate limit, idempotency, validation,
// verified sender domains, then the send itself.
import type { IncomingMessage } from "node:http";
import { fail, HttpError, rateLimitMessage, type ConnectionReset } from "./errors";
import { recipientsOf, type FailureQueue } from "./failures";
import { readJson } from "./http";
import { rateLimitHeaders, type SlidingWindowRateLimiter } from "./rate-limit";
import { listEmails, toResendEmail } from "./resend-email";
import { unverifiedSender } from "./senders";
import type { EmailStore, StoredEmail } from "./store";
import { validateBatchEmail, validateEmail, type EmailInput, type Validated } from "./validation";

export const MAX_BATCH = 100;

export interface ApiContext {
  apiKey: string;
  now(): number;
  verifiedDomains: readonly string[];
  limiter: SlidingWindowRateLimiter;
  failures: FailureQueue;
  store: EmailStore;
  /** Idempotency keys of requests still being processed. */
  inFlight: Set<string>;
  /** Resolves when a paused mailbox lets accepted sends through (immediately when not paused). */
  gate(): Promise<void>;
  save(input: EmailInput, key: string | null, payloadHash: string): Promise<StoredEmail>;
}

export interface ApiAnswer {
  body: unknown;
  headers: Record<string, string>;
}

const notAllowed = (): HttpError => fail(405, "method_not_allowed", "Method is not allowed for the requested path.");

/** Answers a Resend API request; errors (HttpError, ConnectionReset) carry the rate-limit headers too. */
export async function handleApi(
  ctx: ApiContext,
  req: IncomingMessage,
  method: string,
  path: string,
  query: URLSearchParams,
): Promise<ApiAnswer> {
  const route = routeOf(method, path);
  authorize(ctx, req);
  const decision = ctx.limiter.take(ctx.apiKey, ctx.now());
  const headers = rateLimitHeaders(decision);
  if (!decision.allowed) {
    throw new HttpError(
      { statusCode: 429, name: "rate_limit_exceeded", message: rateLimitMessage(ctx.limiter.limit) },
      { ...headers, "retry-after": String(decision.retryAfterSeconds) },
    );
  }
  try {
    return { body: await route(ctx, req, query), headers };
  } catch (error) {
    if (error instanceof HttpError) throw new HttpError(error.body, { ...headers, ...error.headers });
    throw error;
  }
}

type Route = (ctx: ApiContext, req: IncomingMessage, query: URLSearchParams) => Promise<unknown>;

function routeOf(method: string, path: string): Route {
  if (path === "/emails") {
    if (method === "POST") return sendOne;
    if (method === "GET") return async (ctx, _req, query) => listEmails(ctx.store.list(), query);
    throw notAllowed();
  }
  if (path === "/emails/batch") {
    if (method === "POST") return sendBatch;
    throw notAllowed();
  }
  const id = /^\/emails\/([^/]+)$/.exec(path)?.[1];
  if (id) {
    if (method !== "GET") throw notAllowed();
    return async (ctx) => {
      const email = ctx.store.get(decodeURIComponent(id));
      if (!email) throw fail(404, "not_found", "Email not found");
      return toResendEmail(email);
    };
  }
  throw fail(404, "not_found", "The requested endpoint does not exist.");
}

function authorize(ctx: ApiContext, req: IncomingMessage): void {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
  if (!token) throw fail(401, "missing_api_key", "Missing API key in the authorization header.");
  if (token !== ctx.apiKey) throw fail(403, "invalid_api_key", "API key is invalid.");
}

function idempotencyKeyOf(req: IncomingMessage): string | null {
  const key = req.headers["idempotency-key"];
  if (key === undefined) return null;
  const value = Array.isArray(key) ? key.join(",") : key;
  if (value.length < 1 || value.length > 256) {
    throw fail(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
  }
  return value;
}

/** One request per idempotency key at a time; a second one meanwhile gets Resend's 409. */
async function withIdempotencyKey<T>(ctx: ApiContext, key: string | null, work: () => Promise<T>): Promise<T> {
  if (key === null) return work();
  if (ctx.inFlight.has(key)) {
    throw fail(
      409,
      "concurrent_idempotent_requests",
      "Same idempotency key used while original request is still in progress.",
    );
  }
  ctx.inFlight.add(key);
  try {
    return await work();
  } finally {
    ctx.inFlight.delete(key);
  }
}

/** Same key + same body within 24 h → the first answer's ids; same key + other body → 409. */
function replay(ctx: ApiContext, key: string | null, payloadHash: string): string[] | null {
  if (key === null) return null;
  const previous = ctx.store.findByIdempotencyKey(key, ctx.now());
  if (previous.length === 0) return null;
  if (previous.some((p) => p.payloadHash !== payloadHash)) {
    throw fail(
      409,
      "invalid_idempotent_request",
      "Same idempotency key used with a different request payload. Change your idempotency key or payload.",
    );
  }
  return previous.map((p) => p.email.id);
}

function throwIf(failure: HttpError | ConnectionReset | null): void {
  if (failure) throw failure;
}

/** Validation, then the account's verified sender domains. */
function check(validated: Validated, verifiedDomains: readonly string[]): Validated {
  if (!validated.ok) return validated;
  const unverified = unverifiedSender(validated.email.from, verifiedDomains);
  return unverified ? { ok: false, error: unverified } : validated;
}

async function sendOne(ctx: ApiContext, req: IncomingMessage): Promise<{ id: string }> {
  const key = idempotencyKeyOf(req);
  return withIdempotencyKey(ctx, key, async () => {
    const { body, hash } = await readJson(req);
    const recipients = recipientsOf(body);
    throwIf(ctx.failures.take("before", ctx.limiter.limit, recipients));
    const checked = check(validateEmail(body), ctx.verifiedDomains);
    if (!checked.ok) throw new HttpError(checked.error);
    const replayed = replay(ctx, key, hash)?.[0];
    let id = replayed;
    if (id === undefined) {
      await ctx.gate();
      id = (await ctx.save(checked.email, key, hash)).id;
    }
    throwIf(ctx.failures.take("after", ctx.limiter.limit, recipients));
    return { id };
  });
}

/** Strict mode (default) refuses the whole batch for one bad email; permissive sends the rest. */
async function sendBatch(ctx: ApiContext, req: IncomingMessage): Promise<Record<string, unknown>> {
  const key = idempotencyKeyOf(req);
  return withIdempotencyKey(ctx, key, async () => {
    const { body, hash } = await readJson(req);
    const recipients = Array.isArray(body) ? body.flatMap(recipientsOf) : [];
    throwIf(ctx.failures.take("before", ctx.limiter.limit, recipients));
    if (!Array.isArray(body) || body.length === 0 || body.length > MAX_BATCH) {
      throw fail(422, "validation_error", `The request body must be an array of 1 to ${MAX_BATCH} emails.`);
    }
    const permissive = req.headers["x-batch-validation"] === "permissive";
    const results = body.map((item) => check(validateBatchEmail(item), ctx.verifiedDomains));
    const errors = results.flatMap((r, index) => (r.ok ? [] : [{ index, message: r.error.message }]));
    const firstBad = errors[0] && results[errors[0].index];
    if (!permissive && firstBad && !firstBad.ok) {
      throw new HttpError({ ...firstBad.error, message: `${firstBad.error.message} (emails[${errors[0]?.index}])` });
    }
    let ids = replay(ctx, key, hash);
    if (ids === null) {
      await ctx.gate();
      ids = [];
      for (const r of results) if (r.ok) ids.push((await ctx.save(r.email, key, hash)).id);
    }
    throwIf(ctx.failures.take("after", ctx.limiter.limit, recipients));
    const data = ids.map((id) => ({ id }));
    return permissive ? { data, errors } : { data };
  });
}
