import { createECDH } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { loadServerConfig } from "@acme/config";
import type { Database } from "@acme/db";
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { normalizeUsername } from "@acme/validators";
import { createCaller } from "./index";
import { createAuth, type Auth } from "@acme/auth";
import { createPasswordEventHooks } from "./account-events/password-events";
import { createContextInner, describeError, type ApiConfig, type RequestMeta } from "./trpc";

let counter = 0;

export const testApiConfig: ApiConfig = {
  defaultPhoneRegion: "US",
  vapidPublicKey: "test-key",
  mailbox: { mode: "unconfigured" },
  inngest: { apiUrl: null, signingKey: null, env: null, runPageUrl: null },
  // The production rules, with push.example as the local test push service.
  // Limits raised out of the way; the tests of the limits lower them.
  security: loadServerConfig({
    DATABASE_URL: "postgresql://unused",
    PUSH_LOCAL_ORIGINS: "https://push.example",
    RATE_LIMIT_USER_UPDATE: "100000",
    RATE_LIMIT_PUSH_SUBSCRIBE: "100000",
  }).security,
  secureLinks: { secret: "test-secure-link-key", ttlMs: 7 * 24 * 3_600_000 },
};

export async function createUser(
  db: Database,
  overrides: { username?: string; phoneNumber?: string | null; role?: "user" | "admin" } = {},
) {
  counter += 1;
  const username = overrides.username ?? `user_${counter}_${Math.random().toString(36).slice(2, 8)}`;
  return db.user.create({
    data: {
      email: `${username.toLowerCase()}@example.test`,
      name: username,
      username,
      usernameNormalized: normalizeUsername(username),
      phoneNumber: overrides.phoneNumber ?? null,
      role: overrides.role ?? "user",
    },
  });
}

/** Real better-auth on the test database, its password events recorded and "dispatched" into `dispatched`. */
export function createTestAuth(db: Database) {
  const dispatched: string[] = [];
  const auth = createAuth({
    db,
    baseURL: "http://localhost:3000",
    secret: "test-secret-test-secret-test-secret-00",
    passwordEvents: createPasswordEventHooks(db, { dispatchSoon: (ids) => dispatched.push(...[ids].flat()) }),
  });
  return { auth, dispatched };
}

/** A caller acting as `user` (or anonymous), plus the outbox ids it handed to the relay. */
export function callerFor(
  db: Database,
  user: { id: string; email: string; username: string; role: "user" | "admin" } | null,
  config: Partial<ApiConfig> = {},
  {
    auth = null,
    request = { ipAddress: "203.0.113.7", userAgent: "vitest" },
  }: { auth?: Auth | null; request?: RequestMeta } = {},
) {
  const dispatched: string[] = [];
  const caller = createCaller(
    createContextInner({
      db,
      session: user
        ? {
            sessionId: "test-session",
            user: { id: user.id, email: user.email, username: user.username, role: user.role },
          }
        : null,
      relay: { dispatchSoon: (ids) => dispatched.push(...[ids].flat()) },
      config: { ...testApiConfig, ...config },
      request,
      auth,
    }),
  );
  return { caller, dispatched };
}

/**
 * A migrated database of this test file's own; with `reset`, emptied of changes, outbox events
 * and deliveries before each test.
 */
export function useTestDatabase({ reset = true } = {}): TestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.destroy();
  });
  if (reset) {
    beforeEach(async () => {
      await database!.db.delivery.deleteMany();
      await database!.db.outboxEvent.deleteMany();
      await database!.db.profileChange.deleteMany();
    });
  }
  return {
    get url() {
      return database!.url;
    },
    get db() {
      return database!.db;
    },
    destroy: () => database!.destroy(),
  };
}

/** The rejection, described the way API clients receive it. */
export async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  const trpcError = error as TRPCError;
  return { code: trpcError.code, ...describeError(trpcError) };
}

/** A browser's push subscription keys: a real P-256 public key and a 16-byte auth secret. */
export function browserPushKeys() {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString("base64url"), auth: Buffer.alloc(16, 9).toString("base64url") };
}
