import { z } from "zod";
import { optionalString, port } from "./parsers";
import { trustedProxies, type TrustedProxies } from "./security";
import { parseEnv } from "./server";

/** What the app's HTTP front reads: where to listen and whom to believe about client addresses. */
export interface FrontConfig {
  production: boolean;
  port: number;
  /** Interface to bind; development defaults to loopback so the unsigned dev endpoints stay on this machine. */
  host: string;
  trustedProxies: TrustedProxies;
}

const frontEnvSchema = z.object({
  NODE_ENV: optionalString,
  PORT: port(3000),
  HOST: optionalString,
  TRUSTED_PROXIES: trustedProxies,
});

export function loadFrontConfig(env: Record<string, string | undefined> = process.env): FrontConfig {
  const raw = parseEnv(frontEnvSchema, env);
  const production = raw.NODE_ENV === "production";
  return {
    production,
    port: raw.PORT,
    host: raw.HOST ?? (production ? "0.0.0.0" : "127.0.0.1"),
    trustedProxies: raw.TRUSTED_PROXIES,
  };
}
