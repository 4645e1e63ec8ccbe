import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, isAPIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { bearer } from "better-auth/plugins/bearer";
import type { Database } from "@acme/db";
import { normalizeUsername, usernameSchema } from "@acme/validators";
import { CLIENT_ADDRESS_HEADER } from "./ip";
import { loopbackAliases } from "./origins";
import { signInThrottleHooks, type SignInThrottleOptions } from "./sign-in-throttle";
import { attachSessionCache, cachedSession, SessionCache } from "./session-cache";

export { forgetCachedSessions } from "./session-cache";

export interface CreateAuthOptions {
  db: Database;
  /** The app's public origin, e.g. http://localhost:3000. */
  baseURL: string;
  secret: string;
  /** Extra origins allowed to call the auth endpoints (CSRF protection). */
  trustedOrigins?: string[];
  /** Per-IP limits on the auth endpoints (on in production). */
  rateLimit?: boolean;
  /** How long a bearer token's session is reused without a lookup (see session-cache.ts); 0 turns it off. */
  sessionCacheTtlMs?: number;
  /** Requests per client address per minute to the credential endpoints, when `rateLimit` is on. */
  credentialsPerMinute?: number;
  /** Per-account sign-in throttling (always on; defaults as SIGN_IN_* in @acme/config). */
  signInThrottle?: SignInThrottleOptions;
  /** Password events, recorded and notified by the app (the outbox path); without them there is no password reset. */
  passwordEvents?: PasswordEventHooks;
}

/**
 * What better-auth tells the app about passwords. Each hook writes the account event and its outbox
 * row; none sends anything itself. `headers` are the request's, for the device and IP shown to the user.
 */
export interface PasswordEventHooks {
  /** A reset link was asked for: `token` is better-auth's reset token, for the email only. */
  resetRequested(input: { userId: string; token: string; headers: Headers | null }): Promise<void>;
  /** The password was set through a reset link (every session has been ended). */
  reset(input: { userId: string; headers: Headers | null }): Promise<void>;
  /** The signed-in user changed their password (knowing the current one). */
  changed(input: { userId: string; headers: Headers | null }): Promise<void>;
}

const PROFILE_OWNED_FIELDS = ["username", "name", "usernameNormalized", "phoneNumber", "role"] as const;

export function createAuth({
  db,
  baseURL,
  secret,
  trustedOrigins = [],
  rateLimit = false,
  credentialsPerMinute = 20,
  signInThrottle = { freeFailures: 5, accountCeiling: 50 },
  passwordEvents,
  sessionCacheTtlMs = 0,
}: CreateAuthOptions) {
  const sessionCache = new SessionCache(sessionCacheTtlMs);
  const auth = betterAuth({
    baseURL,
    secret,
    trustedOrigins: [baseURL, ...loopbackAliases(baseURL), ...trustedOrigins],
    database: prismaAdapter(db, { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      autoSignIn: true,
      // A reset ends every session: whoever had the account is out.
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 60 * 60,
      ...(passwordEvents && {
        sendResetPassword: ({ user, token }, request) =>
          passwordEvents.resetRequested({ userId: user.id, token, headers: request?.headers ?? null }),
        onPasswordReset: ({ user }, request) =>
          passwordEvents.reset({ userId: user.id, headers: request?.headers ?? null }),
      }),
    },
    // Per client IP, in the database (shared by every instance); stricter on the credential endpoints.
    rateLimit: {
      enabled: rateLimit,
      storage: "database",
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/email": { window: 60, max: credentialsPerMinute },
        "/sign-up/email": { window: 60, max: credentialsPerMinute },
        "/request-password-reset": { window: 60, max: credentialsPerMinute },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    advanced: {
      // Secure, HTTP-only cookies whenever the app is served over HTTPS.
      useSecureCookies: baseURL.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      // Set by our front from the socket and TRUSTED_PROXIES; whatever the client sent is replaced.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    user: {
      additionalFields: {
        username: { type: "string", required: true, input: true },
        usernameNormalized: { type: "string", required: false, input: false },
        phoneNumber: { type: "string", required: false, input: false },
        role: { type: "string", required: false, input: false, defaultValue: "user" },
      },
    },
    databaseHooks: {
      // A session ended here (sign-out, revoke) is never served from the cache again.
      session: { delete: { after: async () => sessionCache.clear() } },
      user: {
        create: {
          // Sign-up goes through the same username rules as user.update.
          before: async (user) => {
            const parsed = usernameSchema.safeParse((user as { username?: unknown }).username);
            if (!parsed.success) {
              throw new APIError("BAD_REQUEST", {
                message: parsed.error.issues[0]?.message ?? "Invalid username",
                code: "INVALID_USERNAME",
              });
            }
            const usernameNormalized = normalizeUsername(parsed.data);
            const taken = await db.user.findUnique({ where: { usernameNormalized }, select: { id: true } });
            if (taken) throw new APIError("CONFLICT", { message: "Username is already taken", code: "USERNAME_TAKEN" });
            return { data: { ...user, username: parsed.data, usernameNormalized, name: parsed.data, role: "user" } };
          },
        },
        update: {
          // Profile fields change only through user.update, which validates, audits and notifies;
          // better-auth's own /update-user must not be a way around it.
          before: async (data) => {
            const blocked = PROFILE_OWNED_FIELDS.filter((field) => field in data);
            if (blocked.length > 0) {
              throw new APIError("BAD_REQUEST", {
                message: `Change ${blocked.join(", ")} with the user.update API`,
                code: "PROFILE_FIELD_READ_ONLY",
              });
            }
            return { data };
          },
        },
      },
    },
    hooks: signInThrottleHooks(
      db,
      signInThrottle,
      // better-auth has no callback for a password change: notice it after the endpoint succeeded.
      passwordEvents &&
        (async (ctx) => {
          const userId = ctx.context.session?.user.id;
          if (ctx.path !== "/change-password" || !userId || isAPIError(ctx.context.returned)) return;
          await passwordEvents.changed({ userId, headers: ctx.headers ?? null });
        }),
    ),
    plugins: [bearer(), nextCookies()],
    telemetry: { enabled: false },
  });
  attachSessionCache(auth, sessionCache);
  return auth;
}

export type Auth = ReturnType<typeof createAuth>;
export { loopbackAliases };

export interface SessionUser {
  id: string;
  email: string;
  username: string;
  role: "user" | "admin";
}

export interface Session {
  user: SessionUser;
  sessionId: string;
}

/** Reads the session from cookies or an `Authorization: Bearer` header. */
export async function getSessionFromHeaders(auth: Auth, headers: Headers): Promise<Session | null> {
  return cachedSession(auth, headers, async () => {
    const result = await auth.api.getSession({ headers });
    if (!result) return null;
    const user = result.user as typeof result.user & { username?: string; role?: string };
    const session: Session = {
      sessionId: result.session.id,
      user: {
        id: user.id,
        email: user.email,
        username: user.username ?? user.name,
        role: user.role === "admin" ? "admin" : "user",
      },
    };
    return { session, expiresAt: result.session.expiresAt };
  });
}
