import { phoneRegionFromEnv } from "@acme/api";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see README: Configuration)`);
  return value;
}

/** Server configuration, read once from the environment. */
export function readServerEnv() {
  const appUrl = process.env.APP_URL ?? process.env.BETTER_AUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  return {
    databaseUrl: required("DATABASE_URL"),
    appUrl,
    authSecret: process.env.BETTER_AUTH_SECRET ?? (process.env.NODE_ENV === "production" ? required("BETTER_AUTH_SECRET") : "dev-only-secret-change-me-dev-only-secret"),
    trustedOrigins: (process.env.TRUSTED_ORIGINS ?? "").split(",").filter(Boolean),
    defaultPhoneRegion: phoneRegionFromEnv(),
    vapidPublicKey: process.env.VAPID_PUBLIC_KEY ?? null,
    databasePoolSize: Number(process.env.DATABASE_POOL_SIZE ?? 5),
    outboxSweepIntervalMs: Number(process.env.OUTBOX_SWEEP_INTERVAL_MS ?? 5_000),
  };
}

export type ServerEnv = ReturnType<typeof readServerEnv>;
