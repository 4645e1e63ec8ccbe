import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { bearer } from "better-auth/plugins/bearer";
import type { Database } from "@acme/db";
import { normalizeUsername, usernameSchema } from "@acme/validators";
import { attachSessionCache, cachedSession, SessionCache } from "./session-cache";

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
}

const PROFILE_OWNED_FIELDS = ["username", "name", "usernameNormalized", "phoneNumber", "role"] as const;

export function createAuth({
  db,
  baseURL,
  secret,
  trustedOrigins = [],
  rateLimit = false,
  sessionCacheTtlMs = 0,
}: CreateAuthOptions) {
  const sessionCache = new SessionCache(sessionCacheTtlMs);
  const auth = betterAuth({
    baseURL,
    secret,
    trustedOrigins: [baseURL, ...loopbackAliases(baseURL), ...trustedOrigins],
    database: prismaAdapter(db, { provider: "postgresql" }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    // Per client IP, in memory; stricter on the credential endpoints.
    rateLimit: {
      enabled: rateLimit,
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/email": { window: 60, max: 20 },
        "/sign-up/email": { window: 60, max: 20 },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    advanced: {
      // Secure, HTTP-only cookies whenever the app is served over HTTPS.
      useSecureCookies: baseURL.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
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
    plugins: [bearer(), nextCookies()],
    telemetry: { enabled: false },
  });
  attachSessionCache(auth, sessionCache);
  return auth;
}

export type Auth = ReturnType<typeof createAuth>;

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];

/** An app on a loopback host is the same app under each loopback name: http://127.0.0.1:3000 as http://localhost:3000. */
export function loopbackAliases(origin: string): string[] {
  const url = new URL(origin);
  if (!LOOPBACK_HOSTS.includes(url.hostname)) return [];
  return LOOPBACK_HOSTS.filter((host) => host !== url.hostname).map((host) => {
    const alias = new URL(origin);
    alias.hostname = host;
    return alias.origin;
  });
}

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
