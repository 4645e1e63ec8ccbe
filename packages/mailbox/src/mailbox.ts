import { randomBytes, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { assertLocalServiceAllowed } from "@acme/config";
import { handleApi, type ApiContext } from "./api";
import { handleControl } from "./control";
import { ConnectionReset, defaultError, HttpError } from "./errors";
import { FailureQueue, type FailureOptions } from "./failures";
import { respond } from "./http";
import { SlidingWindowRateLimiter } from "./rate-limit";
import { LOCAL_SENDER_DOMAIN, parseVerifiedDomains } from "./senders";
import { EmailStore, type StoredEmail } from "./store";

/** Resend's default: 2 requests per second per team (https://resend.com/docs/api-reference/rate-limit). */
export const RESEND_DEFAULT_RATE_LIMIT = 2;

export interface MailboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Interface to listen on; loopback by default so the dev mailbox is not exposed. */
  host?: string;
  /** Keep messages as JSON files under this directory so they survive restarts; omitted = memory only. */
  dataDir?: string;
  /**
   * The one API key accepted as `Authorization: Bearer <apiKey>`: no key → 401
   * `missing_api_key`, another key → 403 `invalid_api_key`. Default: a fresh `re_local_…` key
   * (read it back from `mailbox.apiKey`).
   */
  apiKey?: string;
  /** Sender domains the account has verified; others get Resend's 403. Default: LOCAL_SENDER_DOMAIN. */
  verifiedDomains?: readonly string[];
  /** Requests per second per API key (Resend's default 2); raise it for benchmarks and bursty tests. */
  rateLimit?: number;
  /** Milliseconds since the epoch as the rate limit and the 24 h idempotency window see them (tests). */
  clock?: () => number;
  /** Production mode refuses to start unless `localDemo`; both default to NODE_ENV and LOCAL_DEMO. */
  production?: boolean;
  localDemo?: boolean;
}

export interface WaitOptions {
  timeoutMs?: number;
}

/** Holds accepted sends just before they are stored, so tests can keep a request in flight. */
export interface SendGate {
  /** Resolves once `count` sends (default 1) are being held. */
  held(count?: number): Promise<void>;
  /** Lets every held send, and every later one, through. */
  release(): void;
}

export interface Mailbox {
  /** Base URL for `new Resend(key, { baseUrl })` / RESEND_BASE_URL. */
  url: string;
  port: number;
  /** The key clients must send (RESEND_API_KEY). */
  apiKey: string;
  verifiedDomains: readonly string[];
  /** Requests per second per key. */
  rateLimit: number;
  stop(): Promise<void>;
  /** Newest first. */
  messages(): StoredEmail[];
  /** The next `n` sends (POST /emails or /emails/batch) fail as described. */
  failNext(n: number, failure: FailureOptions): void;
  clearFailures(): void;
  /** Holds sends until `release()`; one gate at a time. */
  pauseSends(): SendGate;
  /** Drops messages (also on disk), idempotency records, rate-limit windows and pending failures; releases a pause. */
  reset(): Promise<void>;
  /** Resolves with the first stored message (already there or arriving) that matches. */
  waitForMessage(predicate?: (email: StoredEmail) => boolean, options?: WaitOptions): Promise<StoredEmail>;
}

export async function startMailbox(options: MailboxOptions = {}): Promise<Mailbox> {
  assertLocalServiceAllowed("mailbox", { production: options.production, localDemo: options.localDemo });
  if (options.apiKey !== undefined && options.apiKey.trim() === "") throw new RangeError("apiKey must not be empty");
  const apiKey = options.apiKey ?? `re_local_${randomBytes(16).toString("hex")}`;
  const verifiedDomains = parseVerifiedDomains(options.verifiedDomains ?? [LOCAL_SENDER_DOMAIN]);
  const limiter = new SlidingWindowRateLimiter(options.rateLimit ?? RESEND_DEFAULT_RATE_LIMIT);
  const store = new EmailStore(options.dataDir);
  await store.load();
  const arrivals = new EventEmitter();
  const failures = new FailureQueue();
  const gates = new EventEmitter();
  let paused: { waiting: (() => void)[] } | null = null;

  const clock = options.clock ?? Date.now;
  const ctx: ApiContext = {
    apiKey,
    now: clock,
    verifiedDomains,
    limiter,
    failures,
    store,
    inFlight: new Set(),
    gate: () => {
      if (!paused) return Promise.resolve();
      const held = paused.waiting;
      return new Promise<void>((resolve) => {
        held.push(resolve);
        gates.emit("held", held.length);
      });
    },
    save: async (input, key, payloadHash) => {
      const email: StoredEmail = {
        id: randomUUID(),
        createdAt: new Date(clock()).toISOString(),
        idempotencyKey: key,
        ...input,
      };
      await store.add(email, payloadHash);
      arrivals.emit("email", email);
      return email;
    },
  };

  const server = createServer((req, res) => {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://mailbox.local");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const work = path.startsWith("/__mailbox/")
      ? handleControl(ctx, req, method, path).then((body) => ({ body, headers: {} }))
      : handleApi(ctx, req, method, path, url.searchParams);
    work.then(
      ({ body, headers }) => respond(res, 200, body, headers),
      (err: unknown) => {
        if (err instanceof ConnectionReset) return req.socket.resetAndDestroy();
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

  const release = (gate = paused): void => {
    if (!gate || gate !== paused) return;
    paused = null;
    for (const resolve of gate.waiting) resolve();
  };

  return {
    url: `http://${host}:${port}`,
    port,
    apiKey,
    verifiedDomains,
    rateLimit: limiter.limit,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        release();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    messages: () => store.list(),
    failNext: (n, failure) => failures.add(n, failure),
    clearFailures: () => failures.clear(),
    pauseSends: () => {
      if (paused) throw new Error("pauseSends: the mailbox is already paused");
      const gate = { waiting: [] as (() => void)[] };
      paused = gate;
      return {
        held: (count = 1) =>
          new Promise<void>((resolve) => {
            if (gate.waiting.length >= count) return resolve();
            const onHeld = (n: number): void => {
              if (n < count) return;
              gates.off("held", onHeld);
              resolve();
            };
            gates.on("held", onHeld);
          }),
        release: () => release(gate),
      };
    },
    reset: async () => {
      release();
      failures.clear();
      limiter.reset();
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
