import { z } from "zod";
import { flag, int, list, optionalString, optionalUrl, port } from "./parsers";
import { parseEnv } from "./server";

/** What `pnpm dev` / `pnpm start` start themselves, and where. Each embedded piece gives way to configuration. */
export interface DevstackConfig {
  port: number;
  appUrl: string;
  dataDir: string | undefined;
  /** Demo accounts with published passwords: undefined means "in development only". */
  seedDemoUsers: boolean | undefined;
  /** `url` is DATABASE_URL when set; otherwise the embedded server on `embeddedPort` with its data in `dataDir`. */
  database: { external: boolean; url: string | undefined; embeddedPort: number };
  mailbox: {
    embedded: boolean;
    port: number;
    /** Requests per second per API key; Resend's default plan allows 2. */
    rateLimit: number;
    /** Sender domains verified besides the local default one. */
    verifiedDomains: string[];
  };
  executor: {
    embedded: boolean;
    port: number;
    retryDelayMs: number | undefined;
    /** SDK requests in flight at once: what the functions' process can work on, not more. */
    concurrency: number;
  };
  /** The Inngest functions in their own process (`apps/worker`), or in the Next app's `/api/inngest`. */
  worker: { enabled: boolean; port: number };
}

const devstackEnvSchema = z.object({
  PORT: port(3000),
  APP_URL: optionalUrl,
  DEVSTACK_DATA_DIR: optionalString,
  SEED_DEMO_USERS: z.preprocess((v) => (v === "" ? undefined : v), flag(false).optional()),
  DATABASE_URL: optionalString,
  EMBEDDED_POSTGRES_PORT: port(54329),
  RESEND_API_KEY: optionalString,
  MAILBOX_PORT: port(8025),
  MAILBOX_RATE_LIMIT: int(2, { min: 1 }),
  MAILBOX_VERIFIED_DOMAINS: list,
  INNGEST_DEV: optionalString,
  INNGEST_EVENT_KEY: optionalString,
  EXECUTOR_PORT: port(8288),
  EXECUTOR_RETRY_DELAY_MS: z.preprocess((v) => (v === "" ? undefined : v), int(0, { min: 1 }).optional()),
  EXECUTOR_CONCURRENCY: int(10, { min: 1, max: 1_000 }),
  JOBS_WORKER: flag(true),
  WORKER_PORT: port(8289),
});

export function loadDevstackConfig(env: Record<string, string | undefined> = process.env): DevstackConfig {
  const raw = parseEnv(devstackEnvSchema, env);
  return {
    port: raw.PORT,
    appUrl: (raw.APP_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, ""),
    dataDir: raw.DEVSTACK_DATA_DIR,
    seedDemoUsers: raw.SEED_DEMO_USERS,
    database: {
      external: raw.DATABASE_URL !== undefined,
      url: raw.DATABASE_URL,
      embeddedPort: raw.EMBEDDED_POSTGRES_PORT,
    },
    mailbox: {
      embedded: raw.RESEND_API_KEY === undefined,
      port: raw.MAILBOX_PORT,
      rateLimit: raw.MAILBOX_RATE_LIMIT,
      verifiedDomains: raw.MAILBOX_VERIFIED_DOMAINS,
    },
    executor: {
      embedded: raw.INNGEST_DEV === undefined && raw.INNGEST_EVENT_KEY === undefined,
      port: raw.EXECUTOR_PORT,
      retryDelayMs: raw.EXECUTOR_RETRY_DELAY_MS,
      concurrency: raw.EXECUTOR_CONCURRENCY,
    },
    worker: { enabled: raw.JOBS_WORKER, port: raw.WORKER_PORT },
  };
}
