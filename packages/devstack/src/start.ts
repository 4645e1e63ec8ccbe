// `pnpm dev`: everything on embedded defaults, each replaced by configuration:
//   PostgreSQL    DATABASE_URL          else embedded PGlite in .data/postgres
//   job executor  INNGEST_DEV / INNGEST_EVENT_KEY   else the embedded executor on :8288
//   email         RESEND_API_KEY        else the local mailbox on :8025
//   functions     JOBS_WORKER=off       else the worker process (apps/worker) on :8289
// then the Next.js app on PORT (3000). `--prod` serves the production build (`next start`),
// `--build` makes that build first.
// `exec node --import tsx` (not the tsx CLI) so Ctrl-C ends with our exit code, not a signal.
import { spawn, type ChildProcess } from "node:child_process";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadDevstackConfig, loadFrontConfig, loadLocalServiceMode, workerEnvironment } from "@acme/config";
import { createPrismaClient, DEMO_USERS, resolveDatabase, seedDemoUsers } from "@acme/db";
import { startExecutor } from "@acme/executor";
import { LOCAL_SENDER_DOMAIN, startMailbox } from "@acme/mailbox";
import { repoRoot, resolveDataDir } from "./commands/paths";
import { formatFindings, runDoctor } from "./doctor/checks";
import { checkDemoAccounts } from "./doctor/demo-accounts";
import { localServiceModeFor } from "./local-demo";
import { waitForFreePort } from "./ports";
import { loadOrCreateSecrets } from "./secrets";

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1"];

const startedAt = performance.now();
const { values: args } = parseArgs({
  options: { prod: { type: "boolean", default: false }, build: { type: "boolean", default: false } },
});
const config = loadDevstackConfig();
const dataDir = resolveDataDir(config);
const { port, appUrl } = config;
const log = (message: string) => console.log(`[devstack] ${message}`);
// Handed to every local stand-in we start: they refuse production mode unless it is a demo.
const localMode = localServiceModeFor(args.prod, loadLocalServiceMode());

// V8 sizes its heap for the machine (GiBs here) and lets a busy worker grow to twice its idle RSS with
// ~60 MiB of live objects: a smaller young generation and an old-space cap make it collect sooner.
const WORKER_HEAP_FLAGS = ["--max-semi-space-size=4", "--max-old-space-size=256"];

const stoppers: (() => Promise<void>)[] = [];
let stopExecutor: (() => Promise<void>) | null = null;
let next: ChildProcess | null = null;
let worker: ChildProcess | null = null;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log("shutting down…");
  // The executor first: once the app is gone its calls would only fail.
  await stopExecutor?.().catch((error: unknown) => console.error(error));
  await Promise.all([terminate(worker), terminate(next)]);
  for (const stop of stoppers.reverse()) await stop().catch((error: unknown) => console.error(error));
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  // The preflight on what the operator configured: `pnpm start` refuses real providers with unsafe
  // settings; `pnpm dev` only warns.
  // eslint-disable-next-line no-restricted-properties -- the launcher checks the environment it was given
  const findings = await runDoctor({ ...process.env, APP_URL: appUrl }, config);
  if (findings.length > 0) {
    const errors = findings.filter((f) => f.level === "error").length;
    log(`configuration check:\n${formatFindings(findings)}`);
    if (args.prod && errors > 0) {
      log(
        "refusing to start in production mode with these problems (see README: Configuration; `pnpm doctor` re-checks)",
      );
      process.exit(1);
    }
  }

  const secrets = loadOrCreateSecrets(dataDir);
  // The app's environment: ours, with each embedded piece's settings filled in below.
  // eslint-disable-next-line no-restricted-properties -- the launcher passes its environment on to the app
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), APP_URL: appUrl, NEXT_TELEMETRY_DISABLED: "1" };
  // The build sees the operator's environment only, as before the embedded pieces fill theirs in.
  const buildEnv = { ...env };
  const webDir = path.join(repoRoot, "apps/web");
  const nextBin = path.join(webDir, "node_modules/next/dist/bin/next");
  env.BETTER_AUTH_SECRET ||= secrets.authSecret;
  // The front binds development to loopback unless HOST says otherwise; then it also answers on
  // this machine's network addresses, and the Inngest endpoint must check signatures.
  const front = loadFrontConfig({ ...env, NODE_ENV: args.prod ? "production" : "development" });
  const reachableFromNetwork = !LOOPBACK_HOSTS.includes(front.host);
  const networkOrigins =
    args.prod || !reachableFromNetwork ? [] : networkAddresses().map((address) => `http://${address}:${port}`);
  if (networkOrigins.length) env.TRUSTED_ORIGINS = [env.TRUSTED_ORIGINS, ...networkOrigins].filter(Boolean).join(",");
  env.VAPID_PUBLIC_KEY ||= secrets.vapidPublicKey;
  env.VAPID_PRIVATE_KEY ||= secrets.vapidPrivateKey;

  const standIns = [
    ...(config.database.external ? [] : ["embedded PostgreSQL"]),
    ...(config.mailbox.embedded ? ["local mailbox"] : []),
  ];
  if (args.prod && standIns.length > 0) {
    log(`local demo: ${standIns.join(" and ")} in production mode; configure real providers to deploy`);
  }

  const database = await resolveDatabase({
    externalUrl: env.DATABASE_URL || undefined,
    dataDir: path.join(dataDir, "postgres"),
    port: config.database.embeddedPort,
    ...localMode,
  });
  stoppers.push(() => database.stop());
  env.DATABASE_URL = database.url;
  // The embedded server takes few connections: keep the app's pool small.
  if (database.embedded) {
    env.DATABASE_POOL_SIZE ??= "4";
    env.WORKER_POOL_SIZE ??= "3";
  }
  log(
    database.embedded
      ? `embedded PostgreSQL at ${database.url} (data in ${path.relative(repoRoot, dataDir)}/postgres)`
      : "PostgreSQL from DATABASE_URL",
  );

  // Demo accounts with published passwords: for `pnpm dev`, never for a production start
  // unless asked for (the browser tests do).
  const seedDemoAccounts = config.seedDemoUsers ?? !args.prod;
  const prisma = createPrismaClient({ connectionString: database.url, maxConnections: 1 });
  // `pnpm dev` on the same data left them there: refuse rather than serve them in production mode.
  const demoFindings = args.prod
    ? await checkDemoAccounts(prisma, { demoAsked: seedDemoAccounts || loadLocalServiceMode().localDemo })
    : [];
  if (seedDemoAccounts) await seedDemoUsers(prisma);
  await prisma.$disconnect();
  if (demoFindings.length > 0) {
    log(`refusing to start in production mode:\n${formatFindings(demoFindings)}`);
    await shutdown(1);
  }

  // After the data checks (a refusal comes before two minutes of building), before the services that wait on the app.
  if (args.build) {
    log("building the app for production (next build; about 2 minutes on 2 cores)…");
    const built = performance.now();
    await run(process.execPath, [nextBin, "build"], { cwd: webDir, env: buildEnv });
    log(`built in ${((performance.now() - built) / 1000).toFixed(0)}s; starting`);
  }

  if (config.mailbox.embedded) {
    await waitForFreePort(config.mailbox.port, log);
    // As strict as Resend: this key only, these sender domains only, Resend's rate limit.
    const mailbox = await startMailbox({
      port: config.mailbox.port,
      dataDir: path.join(dataDir, "mailbox"),
      apiKey: secrets.mailboxApiKey,
      verifiedDomains: [LOCAL_SENDER_DOMAIN, ...config.mailbox.verifiedDomains],
      rateLimit: config.mailbox.rateLimit,
      ...localMode,
    });
    stoppers.push(() => mailbox.stop());
    env.RESEND_BASE_URL = mailbox.url;
    env.RESEND_API_KEY = mailbox.apiKey;
    env.EMAIL_FROM ||= `Profile Notify <notifications@${LOCAL_SENDER_DOMAIN}>`;
    log(
      `local mailbox (Resend API) at ${mailbox.url}: verified sender domains ${mailbox.verifiedDomains.join(", ")}, ` +
        `${mailbox.rateLimit} requests/s`,
    );
  }

  // The functions run in their own process unless JOBS_WORKER=off: the pipeline then never takes
  // the thread that answers the API.
  const workerUrl = config.worker.enabled ? `http://127.0.0.1:${config.worker.port}/api/inngest` : null;
  let functionsRegistered: Promise<void> | null = null;
  if (config.executor.embedded) {
    const signed = args.prod || reachableFromNetwork;
    await waitForFreePort(config.executor.port, log);
    const executor = await startExecutor({
      // Keys like self-hosted Inngest: only the app can send events, register and read runs.
      ...(signed && { signingKey: secrets.inngestSigningKey, eventKey: secrets.inngestEventKey }),
      port: config.executor.port,
      databaseUrl: database.url,
      poolSize: database.embedded ? 3 : 5,
      // More calls at once than the functions' pool and cores can take only queue inside the app.
      concurrency: config.executor.concurrency,
      apps: [workerUrl ?? `http://127.0.0.1:${port}/api/inngest`],
      ...(config.executor.retryDelayMs && { retryBaseDelayMs: config.executor.retryDelayMs }),
    });
    stopExecutor = () => executor.stop();
    functionsRegistered = executor.synced;
    if (signed) {
      // Production build: the SDK runs in cloud mode and accepts only signed calls.
      env.INNGEST_DEV = "0";
      env.INNGEST_BASE_URL = executor.url;
      env.INNGEST_SIGNING_KEY = secrets.inngestSigningKey;
      env.INNGEST_EVENT_KEY = secrets.inngestEventKey;
    } else {
      env.INNGEST_DEV = executor.url;
    }
    // Runs are read through its REST API; it has no dashboard of its own to link to.
    env.INNGEST_RUN_PAGE_URL = "off";
    log(`embedded Inngest executor at ${executor.url}${signed ? " (signed requests)" : ""}`);
  }

  if (workerUrl) {
    await waitForFreePort(config.worker.port, log);
    worker = startWorker(env, config.worker.port);
    log(`Inngest functions in the worker at ${workerUrl}`);
    // An event that reaches the executor before the functions are registered triggers nothing (as
    // with Inngest): on a fresh database the app must not take a change before the worker synced.
    if (functionsRegistered) await functionsRegistered;
  }

  await waitForFreePort(port, log);
  // Our front (apps/web/server.ts) runs Next and is the one place that sees the client's socket.
  next = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: webDir,
    env: { ...env, NODE_ENV: args.prod ? "production" : "development", HOST: front.host },
    stdio: "inherit",
  });
  next.once("exit", (code) => {
    if (!stopping) {
      log(`Next.js exited with code ${code}`);
      void shutdown(code ?? 1);
    }
  });

  const probeHost = ["0.0.0.0", "::", "localhost"].includes(front.host) ? "127.0.0.1" : front.host;
  await waitForHttp(`http://${probeHost.includes(":") ? `[${probeHost}]` : probeHost}:${port}/api/auth/ok`, 180_000);
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  log(`ready in ${seconds}s → open ${appUrl}`);
  const others = [appUrl.replace("//localhost:", "//127.0.0.1:"), ...networkOrigins].filter((url) => url !== appUrl);
  if (others.length) log(`  also answers at ${others.join(", ")}`);
  if (args.prod) log("  sign-in is accepted only at these addresses: set APP_URL or TRUSTED_ORIGINS for another");
  if (config.mailbox.embedded) log(`  sent email: ${appUrl}/admin/mailbox (as the admin)`);
  if (seedDemoAccounts) {
    for (const user of DEMO_USERS) log(`  ${user.role.padEnd(5)} ${user.email} / ${user.password}`);
  }
} catch (error) {
  console.error("[devstack] failed to start:", error);
  await shutdown(1);
}

/**
 * `apps/worker` with the app's settings and nothing else (the SDK copies the whole environment on
 * every request); in development it restarts when a function's source changes.
 */
function startWorker(appEnv: NodeJS.ProcessEnv, workerPort: number): ChildProcess {
  const workerDir = path.join(repoRoot, "apps/worker");
  const child = spawn(
    process.execPath,
    [...WORKER_HEAP_FLAGS, "--import", "tsx", ...(args.prod ? [] : ["--watch"]), path.join(workerDir, "src/main.ts")],
    { cwd: workerDir, env: workerEnvironment({ ...appEnv, WORKER_PORT: String(workerPort) }), stdio: "inherit" },
  );
  child.once("exit", (code) => {
    if (!stopping) {
      log(`the worker exited with code ${code}`);
      void shutdown(code ?? 1);
    }
  });
  return child;
}

/** SIGTERM, then SIGKILL after 5 s. */
async function terminate(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((resolve) => {
    const timer = setTimeout(() => (child.kill("SIGKILL"), resolve(null)), 5_000);
    child.once("exit", () => (clearTimeout(timer), resolve(null)));
  });
}

/** This machine's IPv4 addresses other than loopback: what Next prints as "Network". */
function networkAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((address) => address?.family === "IPv4" && !address.internal)
    .map((address) => address!.address);
}

/** Runs a command to completion with the terminal attached; fails on a non-zero exit. */
function run(command: string, commandArgs: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, commandArgs, { ...options, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${commandArgs.join(" ")} exited with ${signal ?? code}`)),
    );
  });
}

async function waitForHttp(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}
