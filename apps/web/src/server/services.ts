import { OutboxRelay } from "@acme/api";
import { createAuth, type Auth } from "@acme/auth";
import { createPrismaClient, type Database } from "@acme/db";
import { createInngestPublisher } from "@acme/jobs";
import { readServerEnv, type ServerEnv } from "./env";

interface Services {
  env: ServerEnv;
  db: Database;
  auth: Auth;
  relay: OutboxRelay;
}

// One set per server process, shared by route handlers and instrumentation (and kept across
// dev hot reloads).
const holder = globalThis as typeof globalThis & { __profileNotifyServices?: Services };

export function getServices(): Services {
  if (!holder.__profileNotifyServices) {
    const env = readServerEnv();
    const db = createPrismaClient({ connectionString: env.databaseUrl, maxConnections: env.databasePoolSize });
    const auth = createAuth({ db, baseURL: env.appUrl, secret: env.authSecret, trustedOrigins: env.trustedOrigins });
    const relay = new OutboxRelay({ db, publisher: createInngestPublisher(), sweepIntervalMs: env.outboxSweepIntervalMs });
    holder.__profileNotifyServices = { env, db, auth, relay };
  }
  return holder.__profileNotifyServices;
}
