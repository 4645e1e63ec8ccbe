import { z } from "zod";
import { list, optionalString, optionalUrl, port } from "./parsers";
import { trustedProxies, type TrustedProxies } from "./security";
import { parseEnv } from "./server";

/** What the app's HTTP front reads: where to listen and whom to believe about client addresses. */
export interface FrontConfig {
  production: boolean;
  port: number;
  /** Interface to bind; development defaults to loopback so the unsigned dev endpoints stay on this machine. */
  host: string;
  trustedProxies: TrustedProxies;
  /** Whether /api/inngest checks signatures: the SDK not in dev mode. */
  inngestSigned: boolean;
}

const LOOPBACK = ["127.0.0.1", "localhost", "::1"];

/** Why this front must not start as configured, or null: an unsigned Inngest endpoint on the network. */
export function frontProblem(config: FrontConfig): string | null {
  if (LOOPBACK.includes(config.host) || config.inngestSigned) return null;
  return (
    `HOST=${config.host} makes the app reachable from other machines, but /api/inngest would accept unsigned calls ` +
    "(dev mode): set INNGEST_SIGNING_KEY and INNGEST_DEV=0 (pnpm dev does this itself), or leave HOST unset"
  );
}

const frontEnvSchema = z.object({
  NODE_ENV: optionalString,
  PORT: port(3000),
  HOST: optionalString,
  TRUSTED_PROXIES: trustedProxies,
  INNGEST_DEV: optionalString,
});

export function loadFrontConfig(env: Record<string, string | undefined> = process.env): FrontConfig {
  const raw = parseEnv(frontEnvSchema, env);
  const production = raw.NODE_ENV === "production";
  return {
    production,
    port: raw.PORT,
    host: raw.HOST ?? (production ? "0.0.0.0" : "127.0.0.1"),
    trustedProxies: raw.TRUSTED_PROXIES,
    // The SDK's dev mode (INNGEST_DEV=1 or a URL) skips signature checks; cloud mode requires a signing key.
    inngestSigned: raw.INNGEST_DEV === undefined || raw.INNGEST_DEV === "0",
  };
}

/** What the per-request guard (apps/web proxy) reads: no database, no secrets. */
export interface RequestPolicyConfig {
  production: boolean;
  appUrl: string;
  /** Origins besides APP_URL whose pages may send cookie-authenticated writes (TRUSTED_ORIGINS). */
  trustedOrigins: string[];
}

const requestPolicyEnvSchema = z.object({
  NODE_ENV: optionalString,
  PORT: port(3000),
  APP_URL: optionalUrl,
  BETTER_AUTH_URL: optionalUrl,
  TRUSTED_ORIGINS: list,
});

export function loadRequestPolicyConfig(env: Record<string, string | undefined> = process.env): RequestPolicyConfig {
  const raw = parseEnv(requestPolicyEnvSchema, env);
  return {
    production: raw.NODE_ENV === "production",
    appUrl: (raw.APP_URL ?? raw.BETTER_AUTH_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, ""),
    trustedOrigins: raw.TRUSTED_ORIGINS,
  };
}
