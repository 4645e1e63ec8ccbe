import { apiConfigFrom, createPasswordEventHooks, OutboxRelay, type ApiConfig } from "@acme/api";
import { createAuth, type Auth } from "@acme/auth";
import { loadServerConfig, type ServerConfig } from "@acme/config";
import { createPrismaClient, type Database } from "@acme/db";
import { createInngestPublisher } from "@acme/jobs";

interface Services {
  config: ServerConfig;
  /** What the tRPC procedures read of the configuration. */
  apiConfig: ApiConfig;
  db: Database;
  auth: Auth;
  relay: OutboxRelay;
}

// One set per server process, shared by route handlers and instrumentation (and kept across
// dev hot reloads). The configuration is parsed here, once, and passed down.
const holder = globalThis as typeof globalThis & { __profileNotifyServices?: Services };

export function getServices(): Services {
  if (!holder.__profileNotifyServices) {
    const config = loadServerConfig();
    const db = createPrismaClient({
      connectionString: config.database.url,
      maxConnections: config.database.poolSize,
      statementTimeoutMs: config.security.api.statementTimeoutMs,
    });
    const relay = new OutboxRelay({
      db,
      publisher: createInngestPublisher(),
      sweepIntervalMs: config.outbox.sweepIntervalMs,
    });
    const auth = createAuth({
      db,
      baseURL: config.appUrl,
      secret: config.auth.secret,
      trustedOrigins: config.trustedOrigins,
      rateLimit: config.production,
      credentialsPerMinute: config.security.authPerMinute,
      signInThrottle: config.security.signIn,
      sessionCacheTtlMs: config.auth.sessionCacheTtlMs,
      // Reset emails and password notices go through the outbox like every notification.
      passwordEvents: createPasswordEventHooks(db, relay),
    });
    holder.__profileNotifyServices = { config, apiConfig: apiConfigFrom(config), db, auth, relay };
  }
  return holder.__profileNotifyServices;
}
