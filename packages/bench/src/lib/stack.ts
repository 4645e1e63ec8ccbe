// The systems under test: the production app (`pnpm start`'s path: devstack --prod with the
// embedded executor), the local mailbox and push service, and the baseline server.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import path from "node:path";
import webpush from "web-push";
import { descendants, readCmdline, type ProcessGroup } from "./procfs";
import { repoRoot, runToCompletion, startProcess, tsxArgs, type StartedProcess } from "./processes";

export interface BenchSecrets {
  authSecret: string;
  vapidPublicKey: string;
  vapidPrivateKey: string;
  /** Starts with `re_local` so the app treats the mailbox as the local one. */
  resendApiKey: string;
}

export function newSecrets(): BenchSecrets {
  const vapid = webpush.generateVAPIDKeys();
  return {
    authSecret: randomBytes(32).toString("base64url"),
    vapidPublicKey: vapid.publicKey,
    vapidPrivateKey: vapid.privateKey,
    resendApiKey: `re_local_bench_${randomBytes(8).toString("hex")}`,
  };
}

/** Builds the web app unless Turborepo's cache says the build is current. */
/** `env` everywhere below: the benchmark's own environment, passed on to what it starts. */
export async function ensureWebBuild(logDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  await runToCompletion("build", "pnpm", ["exec", "turbo", "run", "build", "--filter=@acme/web"], {
    cwd: repoRoot,
    env: { ...env, TURBO_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1" },
    logDir,
  });
}

export interface Mailbox {
  url: string;
  process: StartedProcess;
  /** The requested limit and what the mailbox reported (`ratelimit-limit`), if anything. */
  rateLimit: { requested: number; reported: string | null };
}

/**
 * Name of the mailbox setting for its Resend-like rate limit (requests per second per key).
 * Passed to the mailbox's CLI; a mailbox without the setting ignores it, and the output says so.
 */
export const MAILBOX_RATE_LIMIT_ENV = "MAILBOX_RATE_LIMIT";

/** The sender of every benchmark email, app and baseline alike. */
export const BENCH_SENDER_DOMAIN = "example.com";
/** A contact Apple's push service (and the strict local one) accepts. */
export const BENCH_VAPID_SUBJECT = "mailto:ops@acme.dev";
export const BENCH_EMAIL_FROM = `Profile Notify <notifications@${BENCH_SENDER_DOMAIN}>`;

export async function startMailbox(options: {
  port: number;
  apiKey: string;
  rateLimitPerSecond: number;
  logDir: string;
  env: NodeJS.ProcessEnv;
}): Promise<Mailbox> {
  const started = await startProcess({
    name: "mailbox",
    command: process.execPath,
    args: tsxArgs("src/cli.ts"),
    cwd: path.join(repoRoot, "packages/mailbox"),
    env: {
      ...options.env,
      MAILBOX_PORT: String(options.port),
      MAILBOX_API_KEY: options.apiKey,
      [MAILBOX_RATE_LIMIT_ENV]: String(options.rateLimitPerSecond),
      // For a mailbox that checks sender domains like Resend: the benchmark's sender is verified.
      MAILBOX_VERIFIED_DOMAINS: BENCH_SENDER_DOMAIN,
    },
    logDir: options.logDir,
    ready: /mailbox listening/,
  });
  const url = `http://127.0.0.1:${options.port}`;
  // One real send tells whether the mailbox enforces a limit (Resend sends ratelimit-* headers).
  const probe = await fetch(`${url}/emails`, {
    method: "POST",
    headers: { authorization: `Bearer ${options.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      from: BENCH_EMAIL_FROM,
      to: ["probe@example.com"],
      subject: "probe",
      text: "rate limit probe",
    }),
  });
  await fetch(`${url}/__mailbox/messages`, { method: "DELETE" });
  return {
    url,
    process: started,
    rateLimit: { requested: options.rateLimitPerSecond, reported: probe.headers.get("ratelimit-limit") },
  };
}

export interface PushService {
  origin: string;
  certFile: string;
  process: StartedProcess;
}

export async function startPushService(options: {
  port: number;
  runDir: string;
  logDir: string;
  env: NodeJS.ProcessEnv;
}): Promise<PushService> {
  const certDir = path.join(options.runDir, "push-cert");
  const started = await startProcess({
    name: "push-service",
    command: process.execPath,
    args: tsxArgs("src/cli.ts"),
    cwd: path.join(repoRoot, "packages/push-service"),
    env: { ...options.env, PUSH_SERVICE_PORT: String(options.port), PUSH_SERVICE_CERT_DIR: certDir },
    logDir: options.logDir,
    ready: /push service listening/,
  });
  return { origin: `https://127.0.0.1:${options.port}`, certFile: path.join(certDir, "cert.pem"), process: started };
}

export interface AppStack {
  url: string;
  executorUrl: string;
  /** The devstack process: the embedded executor (and the launcher around it). */
  devstack: StartedProcess;
  /** Next.js server process(es) below the devstack. */
  appGroup: ProcessGroup;
  executorGroup: ProcessGroup;
  /** The Inngest functions' own process (`apps/worker`), when the devstack starts one. */
  workerGroup: ProcessGroup;
}

export interface StartAppOptions {
  port: number;
  executorPort: number;
  /** Where the devstack's worker (the Inngest functions' process) listens. */
  workerPort: number;
  runDir: string;
  logDir: string;
  databaseUrl: string;
  secrets: BenchSecrets;
  mailboxUrl: string;
  pushCertFile?: string;
  poolSize: number;
  /** The app's email pace (`EMAIL_RATE_PER_SECOND`): the mailbox's limit, or emails wait at Resend's default 2/s. */
  emailRatePerSecond: number;
  /**
   * Where the outbox relay publishes: the embedded executor (the real pipeline), or an event
   * sink that accepts events and runs nothing (the API path alone, relay included).
   */
  eventSinkUrl?: string;
  /** The local push service's origin: the one push service the app may reach (PUSH_LOCAL_ORIGINS). */
  pushOrigin?: string;
  /** Environment that makes every Node process below (Next's server, the executor) write a CPU profile. */
  cpuProfileEnv?: NodeJS.ProcessEnv;
  env: NodeJS.ProcessEnv;
}

export async function startApp(options: StartAppOptions): Promise<AppStack> {
  const appUrl = `http://127.0.0.1:${options.port}`;
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    NODE_ENV: "production",
    PORT: String(options.port),
    APP_URL: appUrl,
    EXECUTOR_PORT: String(options.executorPort),
    WORKER_PORT: String(options.workerPort),
    DEVSTACK_DATA_DIR: path.join(options.runDir, "devstack"),
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: String(options.poolSize),
    BETTER_AUTH_SECRET: options.secrets.authSecret,
    VAPID_PUBLIC_KEY: options.secrets.vapidPublicKey,
    VAPID_PRIVATE_KEY: options.secrets.vapidPrivateKey,
    VAPID_SUBJECT: BENCH_VAPID_SUBJECT,
    RESEND_API_KEY: options.secrets.resendApiKey,
    RESEND_BASE_URL: options.mailboxUrl,
    EMAIL_FROM: BENCH_EMAIL_FROM,
    EMAIL_RATE_PER_SECOND: String(options.emailRatePerSecond),
    SEED_DEMO_USERS: "off",
    INNGEST_DEV: "",
    // An event key makes the devstack leave the executor out; the SDK then sends to INNGEST_BASE_URL.
    ...(options.eventSinkUrl
      ? {
          INNGEST_EVENT_KEY: "bench-event-sink",
          // The production preflight wants both keys for a non-embedded Inngest; nothing checks this one.
          INNGEST_SIGNING_KEY: `signkey-bench-${randomBytes(32).toString("hex")}`,
          INNGEST_BASE_URL: options.eventSinkUrl,
          // No executor calls the functions: no worker either.
          JOBS_WORKER: "off",
        }
      : { INNGEST_EVENT_KEY: "" }),
    NEXT_TELEMETRY_DISABLED: "1",
    ...(options.pushCertFile && { NODE_EXTRA_CA_CERTS: options.pushCertFile }),
    ...(options.pushOrigin && { PUSH_LOCAL_ORIGINS: options.pushOrigin }),
    // Load, not abuse: the per-user limits would otherwise measure themselves.
    RATE_LIMIT_USER_UPDATE: "1000000",
    RATE_LIMIT_PUSH_SUBSCRIBE: "1000000",
    ...options.cpuProfileEnv,
  };
  const devstack = await startProcess({
    name: "app",
    command: process.execPath,
    args: [...tsxArgs("src/start.ts"), "--prod"],
    cwd: path.join(repoRoot, "packages/devstack"),
    env,
    logDir: options.logDir,
    ready: /\[devstack\] ready/,
  });
  return {
    url: appUrl,
    executorUrl: `http://127.0.0.1:${options.executorPort}`,
    devstack,
    appGroup: {
      name: "app (Next.js)",
      pids: () => descendants(devstack.pid).filter((pid) => pid !== devstack.pid && !isWorker(pid)),
    },
    executorGroup: { name: "executor", pids: () => [devstack.pid] },
    workerGroup: { name: "worker", pids: () => descendants(devstack.pid).filter(isWorker) },
  };
}

const isWorker = (pid: number) => readCmdline(pid).includes("apps/worker/");

export interface BaselineOptions {
  port: number;
  logDir: string;
  databaseUrl: string;
  secrets: BenchSecrets;
  poolSize: number;
  /** The BullMQ variant: a queue on Redis and a worker sending through the same SDKs. */
  queue?: { redisUrl: string; mailboxUrl: string; concurrency: number; pushCertFile: string; appUrl: string };
  cpuProfileEnv?: NodeJS.ProcessEnv;
  env: NodeJS.ProcessEnv;
}

export async function startBaseline(options: BaselineOptions): Promise<{ url: string; process: StartedProcess }> {
  const { queue } = options;
  const started = await startProcess({
    name: queue ? "baseline-bullmq" : "baseline",
    command: process.execPath,
    args: tsxArgs("src/baseline/cli.ts"),
    cwd: path.join(repoRoot, "packages/bench"),
    env: {
      ...options.env,
      NODE_ENV: "production",
      BASELINE_PORT: String(options.port),
      DATABASE_URL: options.databaseUrl,
      BASELINE_POOL_SIZE: String(options.poolSize),
      BETTER_AUTH_SECRET: options.secrets.authSecret,
      ...(queue && {
        // tsx applies a tsconfig only to the files it includes: the email template (JSX) is @acme/jobs'.
        TSX_TSCONFIG_PATH: path.join(repoRoot, "packages/jobs/tsconfig.json"),
        BASELINE_QUEUE: "bullmq",
        REDIS_URL: queue.redisUrl,
        RESEND_BASE_URL: queue.mailboxUrl,
        RESEND_API_KEY: options.secrets.resendApiKey,
        VAPID_PUBLIC_KEY: options.secrets.vapidPublicKey,
        VAPID_PRIVATE_KEY: options.secrets.vapidPrivateKey,
        VAPID_SUBJECT: BENCH_VAPID_SUBJECT,
        BASELINE_WORKER_CONCURRENCY: String(queue.concurrency),
        NODE_EXTRA_CA_CERTS: queue.pushCertFile,
        APP_URL: queue.appUrl,
        EMAIL_FROM: BENCH_EMAIL_FROM,
      }),
      ...options.cpuProfileEnv,
    },
    logDir: options.logDir,
    ready: /\[baseline\] listening/,
  });
  return { url: `http://127.0.0.1:${options.port}`, process: started };
}

/** Inngest's event API reduced to "accepted": for measuring the app with no pipeline behind the relay. */
export async function startEventSink(
  port: number,
): Promise<{ url: string; received(): number; stop(): Promise<void> }> {
  let received = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let events: { id?: string }[];
      try {
        const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
        events = Array.isArray(parsed) ? (parsed as { id?: string }[]) : [parsed as { id?: string }];
      } catch {
        events = [];
      }
      received += events.length;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ids: events.map((e) => e.id ?? randomUUID()), status: 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
