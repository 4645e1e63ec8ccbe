import { createHmac } from "node:crypto";
import type { CountryCode } from "libphonenumber-js";
import { z } from "zod";
import { inngestAccess, type InngestAccess } from "./inngest";
import { countryCode, flag, int, list, optionalString, optionalUrl, port } from "./parsers";
import { securityConfigFrom, securityEnvShape, type SecurityConfig } from "./security";

/** Where sent email can be read back: the local Resend-compatible mailbox, or nowhere we can list. */
export type MailboxConfig =
  { mode: "local"; baseUrl: string; apiKey: string } | { mode: "resend" } | { mode: "unconfigured" };

export interface VapidConfig {
  publicKey: string;
  privateKey: string;
  /** mailto: or https: contact the push service can reach the sender at. */
  subject: string;
}

/** Everything the app server reads from its environment, validated once. */
export interface ServerConfig {
  production: boolean;
  port: number;
  /** The app's public origin, e.g. http://localhost:3000: links in notifications, auth origin. */
  appUrl: string;
  /** Extra origins allowed to call the auth endpoints. */
  trustedOrigins: string[];
  /** `sessionCacheTtlMs`: how long a bearer token's session is reused without a lookup (0: off). */
  auth: { secret: string; sessionCacheTtlMs: number };
  /** The "this wasn't me" links in notifications: their HMAC key (derived from the auth secret) and lifetime. */
  secureLinks: { secret: string; ttlMs: number };
  database: { url: string; poolSize: number };
  /** Region used to read phone numbers typed without a country code. */
  defaultPhoneRegion: CountryCode;
  email: {
    from: string;
    apiKey: string;
    /** Unset for the real Resend API; the local mailbox's URL in the embedded default. */
    baseUrl: string | undefined;
    supportUrl: string;
    supportEmail: string;
  };
  push: { vapid: VapidConfig | null; ttlSeconds: number };
  delivery: {
    /** How long transient provider failures keep being retried before a delivery is failed. */
    retryHorizonMs: number;
    /** Email sends per second across the app: the provider plan's rate (Resend's default is 2). */
    emailRatePerSecond: number;
  };
  outbox: { relay: boolean; sweepIntervalMs: number };
  /** Where the admin pages read runs (Inngest's REST API) and where a person opens one. */
  inngest: InngestAccess;
  mailbox: MailboxConfig;
  /** Push endpoint rules, rate limits, trusted proxies, request bounds, retention. */
  security: SecurityConfig;
}

const DEV_AUTH_SECRET = "dev-only-secret-change-me-dev-only-secret";
/** The key the local mailbox is given when no Resend key is configured. */
export const LOCAL_RESEND_KEY_PREFIX = "re_local";

export const serverEnvSchema = z.object({
  NODE_ENV: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.enum(["development", "production", "test"]).default("development"),
  ),
  PORT: port(3000),
  APP_URL: optionalUrl,
  // better-auth's own name for the origin, accepted as an alias of APP_URL.
  BETTER_AUTH_URL: optionalUrl,
  BETTER_AUTH_SECRET: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().min(32, { error: "must be at least 32 characters" }).optional(),
  ),
  TRUSTED_ORIGINS: list,
  SESSION_CACHE_TTL_MS: int(5_000, { max: 60_000 }),
  DATABASE_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string({ error: "is not set (an embedded database is started only by `pnpm dev` / `pnpm start`)" }),
  ),
  DATABASE_POOL_SIZE: int(5, { min: 1, max: 200 }),
  DEFAULT_PHONE_REGION: countryCode,
  EMAIL_FROM: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().default("Profile Notify <notifications@example.com>"),
  ),
  RESEND_API_KEY: optionalString,
  RESEND_BASE_URL: optionalUrl,
  SUPPORT_URL: optionalUrl,
  SUPPORT_EMAIL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.email({ error: "must be an email address" }).default("support@example.com"),
  ),
  VAPID_PUBLIC_KEY: optionalString,
  VAPID_PRIVATE_KEY: optionalString,
  VAPID_SUBJECT: optionalString,
  // Push services keep an undelivered message at most 4 weeks.
  PUSH_TTL_SECONDS: int(24 * 60 * 60, { max: 28 * 24 * 60 * 60 }),
  DELIVERY_RETRY_HORIZON_MINUTES: int(24 * 60, { min: 1, max: 7 * 24 * 60 }),
  EMAIL_RATE_PER_SECOND: int(2, { min: 1, max: 10_000 }),
  SECURE_LINK_TTL_HOURS: int(7 * 24, { min: 1, max: 90 * 24 }),
  OUTBOX_RELAY: flag(true),
  OUTBOX_SWEEP_INTERVAL_MS: int(5_000, { min: 100 }),
  INNGEST_DEV: optionalString,
  INNGEST_BASE_URL: optionalUrl,
  INNGEST_SIGNING_KEY: optionalString,
  INNGEST_ENV: optionalString,
  INNGEST_RUN_PAGE_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .refine((v) => v === "off" || (/^https?:\/\/[^/\s]+/.test(v) && v.includes("{runId}")), {
        error: "must be off or an http(s) URL containing {runId}",
      })
      .optional(),
  ),
  ...securityEnvShape,
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (see README: Configuration):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses `schema` from `env`, naming each variable and the rule it breaks. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`),
    );
  }
  return result.data;
}

export function loadServerConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const raw = parseEnv(serverEnvSchema, env);
  const production = raw.NODE_ENV === "production";
  const appUrl = (raw.APP_URL ?? raw.BETTER_AUTH_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, "");
  if (production && !raw.BETTER_AUTH_SECRET) throw new ConfigError(["BETTER_AUTH_SECRET is required in production"]);
  const apiKey = raw.RESEND_API_KEY ?? `${LOCAL_RESEND_KEY_PREFIX}_mailbox`;
  const authSecret = raw.BETTER_AUTH_SECRET ?? DEV_AUTH_SECRET;
  const vapid =
    raw.VAPID_PUBLIC_KEY && raw.VAPID_PRIVATE_KEY
      ? {
          publicKey: raw.VAPID_PUBLIC_KEY,
          privateKey: raw.VAPID_PRIVATE_KEY,
          subject: raw.VAPID_SUBJECT ?? "mailto:support@example.com",
        }
      : null;
  return {
    production,
    port: raw.PORT,
    appUrl,
    trustedOrigins: raw.TRUSTED_ORIGINS,
    auth: { secret: authSecret, sessionCacheTtlMs: raw.SESSION_CACHE_TTL_MS },
    secureLinks: { secret: deriveKey(authSecret, "secure-links"), ttlMs: raw.SECURE_LINK_TTL_HOURS * 3_600_000 },
    database: { url: raw.DATABASE_URL, poolSize: raw.DATABASE_POOL_SIZE },
    defaultPhoneRegion: raw.DEFAULT_PHONE_REGION,
    email: {
      from: raw.EMAIL_FROM,
      apiKey,
      baseUrl: raw.RESEND_BASE_URL,
      supportUrl: raw.SUPPORT_URL ?? `${appUrl}/support`,
      supportEmail: raw.SUPPORT_EMAIL,
    },
    push: { vapid, ttlSeconds: raw.PUSH_TTL_SECONDS },
    delivery: {
      retryHorizonMs: raw.DELIVERY_RETRY_HORIZON_MINUTES * 60_000,
      emailRatePerSecond: raw.EMAIL_RATE_PER_SECOND,
    },
    outbox: { relay: raw.OUTBOX_RELAY, sweepIntervalMs: raw.OUTBOX_SWEEP_INTERVAL_MS },
    inngest: inngestAccess(raw),
    mailbox: mailboxConfig(apiKey, raw.RESEND_BASE_URL),
    security: securityConfigFrom(raw),
  };
}

/** A key of its own per purpose, so a secure-link signature can never pass for a session signature. */
function deriveKey(secret: string, purpose: string): string {
  return createHmac("sha256", secret).update(`profile-notify:${purpose}`).digest("base64url");
}

/** A real Resend key means mail really leaves; otherwise RESEND_BASE_URL names the local mailbox. */
function mailboxConfig(apiKey: string, baseUrl: string | undefined): MailboxConfig {
  if (!apiKey.startsWith(LOCAL_RESEND_KEY_PREFIX)) return { mode: "resend" };
  if (!baseUrl) return { mode: "unconfigured" };
  return { mode: "local", baseUrl: baseUrl.replace(/\/+$/, ""), apiKey };
}
