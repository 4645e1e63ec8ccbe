import { z } from "zod";
import { flag } from "./parsers";
import { parseEnv } from "./server";

/** Whether this process runs in production, and whether it was asked for a local demo anyway. */
export interface LocalServiceMode {
  production: boolean;
  localDemo: boolean;
}

const localServiceEnvSchema = z.object({
  NODE_ENV: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  LOCAL_DEMO: flag(false),
});

export function loadLocalServiceMode(env: Record<string, string | undefined> = process.env): LocalServiceMode {
  const raw = parseEnv(localServiceEnvSchema, env);
  return { production: raw.NODE_ENV === "production", localDemo: raw.LOCAL_DEMO };
}

/** The development stand-ins that must not serve production traffic. */
const LOCAL_SERVICES = {
  mailbox: {
    name: "the local mailbox (a stand-in for Resend)",
    open: "its control API (/__mailbox/*) lets any local process read every email",
    instead: "Set RESEND_API_KEY for real email",
  },
  "push-service": {
    name: "the local push service (a stand-in for browser push services)",
    open: "its control API (/__push/*) lets any local process read and forge pushes",
    instead: "Real browsers use their own push services",
  },
  "embedded-postgres": {
    name: "the embedded PostgreSQL (PGlite)",
    open: "it accepts any local client with a published password",
    instead: "Set DATABASE_URL to a real PostgreSQL",
  },
} as const;

export type LocalService = keyof typeof LOCAL_SERVICES;

export class LocalServiceRefusedError extends Error {
  constructor(readonly service: LocalService) {
    const { name, open, instead } = LOCAL_SERVICES[service];
    super(
      `Refusing to start ${name} with NODE_ENV=production: ${open}. ${instead}, ` +
        "or set LOCAL_DEMO=on (option localDemo: true) to run it for a local demo.",
    );
    this.name = "LocalServiceRefusedError";
  }
}

/**
 * Throws unless `service` may start: anywhere but production, or in production when a local
 * demo was asked for explicitly. Options given by the caller win over the environment.
 */
export function assertLocalServiceAllowed(
  service: LocalService,
  options: Partial<LocalServiceMode> = {},
  env: Record<string, string | undefined> = process.env,
): void {
  const fromEnv = loadLocalServiceMode(env);
  const production = options.production ?? fromEnv.production;
  const localDemo = options.localDemo ?? fromEnv.localDemo;
  if (production && !localDemo) throw new LocalServiceRefusedError(service);
}
