// Runs the embedded executor as a standalone process (`pnpm --filter @acme/executor start`).
import { type LogLevel, startExecutor } from "./index";

function intEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

function days(name: string): number | undefined {
  const n = intEnv(name);
  if (n === 0) throw new Error(`${name} must be at least 1 (day)`);
  return n === undefined ? undefined : n * 24 * 60 * 60 * 1000;
}

function boolEnv(name: string): boolean | undefined {
  const raw = process.env[name]?.toLowerCase();
  if (raw === undefined || raw === "") return undefined;
  return !["0", "false", "no", "off"].includes(raw);
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is required");
  const apps = (process.env.EXECUTOR_SERVE_URLS ?? process.env.EXECUTOR_APP_URL ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

  const executor = await startExecutor({
    databaseUrl,
    port: intEnv("EXECUTOR_PORT") ?? 8288,
    host: process.env.EXECUTOR_HOST || "127.0.0.1",
    apps,
    poolSize: intEnv("EXECUTOR_POOL_SIZE"),
    concurrency: intEnv("EXECUTOR_CONCURRENCY"),
    retryBaseDelayMs: intEnv("EXECUTOR_RETRY_DELAY_MS"),
    leaseMs: intEnv("EXECUTOR_LEASE_MS"),
    checkpointing: boolEnv("EXECUTOR_CHECKPOINTING"),
    signingKey: process.env.INNGEST_SIGNING_KEY || undefined,
    eventKey: process.env.INNGEST_EVENT_KEY || undefined,
    schema: process.env.EXECUTOR_SCHEMA || undefined,
    retentionMs: days("EXECUTOR_RETENTION_DAYS"),
    logger: (process.env.EXECUTOR_LOG_LEVEL as LogLevel | undefined) || "info",
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[executor] ${signal} received, shutting down`);
    executor.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error("[executor] failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
