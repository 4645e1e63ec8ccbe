import { isIP } from "node:net";
import { z } from "zod";
import { int, list } from "./parsers";

/** The browsers' push services; PUSH_ALLOWED_HOSTS adds to them. */
export const PUBLIC_PUSH_HOSTS = [
  "fcm.googleapis.com",
  "*.push.services.mozilla.com",
  "*.push.apple.com",
  "*.notify.windows.com",
];

/** Which proxies in front of the app are believed about the client's address. */
export type TrustedProxies =
  { mode: "none" } | { mode: "hops"; hops: number } | { mode: "addresses"; addresses: string[] };

export interface RateLimitRule {
  max: number;
  windowSeconds: number;
}

export interface SecurityConfig {
  pushEndpoints: { allowedHosts: string[]; localOrigins: string[] };
  pushMaxDevices: number;
  rateLimits: { userUpdate: RateLimitRule; pushSubscribe: RateLimitRule };
  /** Sign-in, sign-up and reset requests per client address per minute (better-auth's own limit). */
  authPerMinute: number;
  signIn: {
    /** Failures of one account from one address before each further try waits (doubling). */
    freeFailures: number;
    /** Failures of one account from all addresses per hour before every try is spaced out. */
    accountCeiling: number;
  };
  trustedProxies: TrustedProxies;
  api: {
    maxBatch: number;
    maxBodyBytes: number;
    /** Procedures of one request that may use the database at once. */
    requestConcurrency: number;
    statementTimeoutMs: number;
  };
  retention: { profileChangeDays: number };
}

export const trustedProxies = z.preprocess(
  (v) => (v === "" || v === undefined ? "0" : v),
  z.string().transform((value, ctx): TrustedProxies => {
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      return hops === 0 ? { mode: "none" } : { mode: "hops", hops };
    }
    const addresses = value
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
    const bad = addresses.find((item) => isIP(item.replace(/\/\d+$/, "")) === 0);
    if (bad) ctx.addIssue({ code: "custom", message: `must be a hop count or addresses/CIDRs (not ${bad})` });
    return { mode: "addresses", addresses };
  }),
);

/** The security settings, merged into the server's environment schema. */
export const securityEnvShape = {
  PUSH_ALLOWED_HOSTS: list,
  PUSH_LOCAL_ORIGINS: list,
  PUSH_MAX_DEVICES: int(10, { min: 1, max: 1000 }),
  RATE_LIMIT_USER_UPDATE: int(10, { min: 1 }),
  RATE_LIMIT_PUSH_SUBSCRIBE: int(10, { min: 1 }),
  RATE_LIMIT_WINDOW_SECONDS: int(60, { min: 1, max: 24 * 60 * 60 }),
  AUTH_RATE_LIMIT_PER_MINUTE: int(20, { min: 1 }),
  SIGN_IN_FREE_FAILURES: int(5, { min: 1 }),
  SIGN_IN_ACCOUNT_CEILING: int(50, { min: 1 }),
  TRUSTED_PROXIES: trustedProxies,
  TRPC_MAX_BATCH: int(10, { min: 1, max: 1000 }),
  REQUEST_BODY_MAX_BYTES: int(100_000, { min: 1024 }),
  REQUEST_CONCURRENCY: int(2, { min: 1, max: 100 }),
  DATABASE_STATEMENT_TIMEOUT_MS: int(10_000, { min: 100 }),
  PROFILE_CHANGE_RETENTION_DAYS: int(90, { min: 1 }),
};

type SecurityEnv = { [K in keyof typeof securityEnvShape]: z.output<(typeof securityEnvShape)[K]> };

export function securityConfigFrom(raw: SecurityEnv): SecurityConfig {
  const window = raw.RATE_LIMIT_WINDOW_SECONDS;
  return {
    pushEndpoints: {
      allowedHosts: [...PUBLIC_PUSH_HOSTS, ...raw.PUSH_ALLOWED_HOSTS.map((host) => host.toLowerCase())],
      localOrigins: raw.PUSH_LOCAL_ORIGINS,
    },
    pushMaxDevices: raw.PUSH_MAX_DEVICES,
    rateLimits: {
      userUpdate: { max: raw.RATE_LIMIT_USER_UPDATE, windowSeconds: window },
      pushSubscribe: { max: raw.RATE_LIMIT_PUSH_SUBSCRIBE, windowSeconds: window },
    },
    authPerMinute: raw.AUTH_RATE_LIMIT_PER_MINUTE,
    signIn: { freeFailures: raw.SIGN_IN_FREE_FAILURES, accountCeiling: raw.SIGN_IN_ACCOUNT_CEILING },
    trustedProxies: raw.TRUSTED_PROXIES,
    api: {
      maxBatch: raw.TRPC_MAX_BATCH,
      maxBodyBytes: raw.REQUEST_BODY_MAX_BYTES,
      requestConcurrency: raw.REQUEST_CONCURRENCY,
      statementTimeoutMs: raw.DATABASE_STATEMENT_TIMEOUT_MS,
    },
    retention: { profileChangeDays: raw.PROFILE_CHANGE_RETENTION_DAYS },
  };
}
