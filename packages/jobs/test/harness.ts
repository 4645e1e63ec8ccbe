// The whole delivery path on one machine, with nothing mocked: a real database, the tRPC and
// auth handlers on HTTP, the outbox relay, the embedded executor, the SDK's `serve` handler,
// and local Resend / Web Push services that behave like the real ones.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import { apiConfigFrom, createPasswordEventHooks, OutboxRelay, type AppRouter } from "@acme/api";
import { loadServerConfig, type ServerConfig } from "@acme/config";
import { createNodeApiHandler } from "@acme/api/node";
import { createAuth } from "@acme/auth";
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { startExecutor, type Executor } from "@acme/executor";
import { LOCAL_SENDER_DOMAIN, startMailbox, type Mailbox } from "@acme/mailbox";
import { startPushService, type PushService } from "@acme/push-service";
import type * as Jobs from "../src/index";

export interface Harness {
  database: TestDatabase;
  mailbox: Mailbox;
  push: PushService;
  executor: Executor;
  relay: OutboxRelay;
  auth: ReturnType<typeof createAuth>;
  apiUrl: string;
  vapidPublicKey: string;
  /** The configuration the functions run with (tests may adjust it before the first change). */
  config: ServerConfig;
  jobs: typeof Jobs;
  signUp(email: string, username: string): Promise<{ userId: string; api: ReturnType<typeof apiClient> }>;
  stop(): Promise<void>;
}

function apiClient(apiUrl: string, token: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${apiUrl}/api/trpc`,
        transformer: superjson,
        headers: { authorization: `Bearer ${token}` },
      }),
    ],
  });
}

export async function startHarness({
  retryBaseDelayMs = 150,
  mailboxRateLimit = 1_000,
  env = {},
}: { retryBaseDelayMs?: number; mailboxRateLimit?: number; env?: Record<string, string> } = {}): Promise<Harness> {
  const database = await createTestDatabase({ maxConnections: 4 });
  // Resend's rules (key, verified sender domain), with a rate limit above what the tests' bursts need.
  const [mailbox, push] = await Promise.all([
    startMailbox({ port: 0, rateLimit: mailboxRateLimit }),
    startPushService({ port: 0 }),
  ]);

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const executor = await startExecutor({
    port: 0,
    databaseUrl: database.url,
    poolSize: 3,
    retryBaseDelayMs,
    pollIntervalMs: 100,
    logger: "warn",
  });
  // The SDK reads its mode and URLs from the environment when the client is created.
  process.env.INNGEST_DEV = executor.url;
  const jobs = await import("../src/index");
  const { serve } = await import("inngest/node");

  const vapid = (await import("web-push")).default.generateVAPIDKeys();
  const config = loadServerConfig({
    DATABASE_URL: database.url,
    APP_URL: apiUrl,
    RESEND_API_KEY: mailbox.apiKey,
    RESEND_BASE_URL: mailbox.url,
    EMAIL_FROM: `Profile Notify <notifications@${LOCAL_SENDER_DOMAIN}>`,
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    // A contact Apple's push service would accept: the local one refuses example domains as it does.
    VAPID_SUBJECT: "mailto:ops@acme.dev",
    // The local push service is the one push service these tests may reach.
    PUSH_LOCAL_ORIGINS: push.origin,
    RATE_LIMIT_USER_UPDATE: "100000",
    RATE_LIMIT_PUSH_SUBSCRIBE: "100000",
    ...env,
  });
  const deps = jobs.createJobDeps(database.db, config, push.agent);
  const inngestHandler = serve({ client: jobs.inngest, functions: jobs.createFunctions(deps) });
  const relay = new OutboxRelay({
    db: database.db,
    publisher: jobs.createInngestPublisher(),
    sweepIntervalMs: 250,
    graceMs: 500,
  });
  const auth = createAuth({
    db: database.db,
    baseURL: apiUrl,
    secret: "harness-secret-harness-secret-harness-1",
    passwordEvents: createPasswordEventHooks(database.db, relay),
  });
  const apiHandler = createNodeApiHandler({
    auth,
    db: database.db,
    relay,
    config: apiConfigFrom(config),
  });
  server.on("request", (req, res) =>
    req.url?.startsWith("/api/inngest") ? void inngestHandler(req, res) : apiHandler(req, res),
  );
  await executor.syncApp(`${apiUrl}/api/inngest`);
  relay.start();

  return {
    database,
    mailbox,
    push,
    executor,
    relay,
    auth,
    apiUrl,
    vapidPublicKey: vapid.publicKey,
    config,
    jobs,
    async signUp(email, username) {
      const password = "a-good-password-1";
      const signUp = await auth.api.signUpEmail({ body: { email, password, name: username, username } });
      const signIn = await auth.api.signInEmail({ body: { email, password }, returnHeaders: true });
      const token = signIn.headers.get("set-auth-token");
      if (!token) throw new Error("no bearer token");
      return { userId: signUp.user.id, api: apiClient(apiUrl, token) };
    },
    async stop() {
      await relay.stop();
      await executor.stop();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([mailbox.stop(), push.stop()]);
      await database.destroy();
    },
  };
}

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  { timeoutMs = 20_000, intervalMs = 50, what = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
