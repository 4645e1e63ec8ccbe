// The baseline server as its own process, so its CPU and memory are measured apart:
//   BASELINE_PORT, DATABASE_URL, BASELINE_POOL_SIZE, BETTER_AUTH_SECRET
//   and, for the pipeline comparison, BASELINE_QUEUE=bullmq with REDIS_URL, RESEND_BASE_URL,
//   RESEND_API_KEY, VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY, APP_URL, BASELINE_WORKER_CONCURRENCY.
import pg from "pg";
import { Resend } from "resend";
import { createBaselineServer } from "./server";
import { startNotifyQueue, type NotifyQueue } from "./worker";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const port = Number(process.env.BASELINE_PORT ?? 0);
const pool = new pg.Pool({
  connectionString: required("DATABASE_URL"),
  max: Number(process.env.BASELINE_POOL_SIZE ?? 5),
});
pool.on("error", (error) => console.error("[baseline] idle connection:", error.message));

let queue: NotifyQueue | null = null;
if (process.env.BASELINE_QUEUE === "bullmq") {
  const redis = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  queue = await startNotifyQueue({
    pool,
    redis: { host: redis.hostname, port: Number(redis.port || 6379) },
    queueName: process.env.BASELINE_QUEUE_NAME ?? `profile-notify-bench-${process.pid}`,
    concurrency: Number(process.env.BASELINE_WORKER_CONCURRENCY ?? 10),
    resend: new Resend(required("RESEND_API_KEY"), { baseUrl: required("RESEND_BASE_URL") }),
    vapid: {
      publicKey: required("VAPID_PUBLIC_KEY"),
      privateKey: required("VAPID_PRIVATE_KEY"),
      subject: process.env.VAPID_SUBJECT ?? "mailto:support@example.com",
    },
    appUrl: process.env.APP_URL ?? "http://localhost:3000",
    emailFrom: process.env.EMAIL_FROM ?? "Profile Notify <notifications@example.com>",
  });
}

const server = createBaselineServer({
  pool,
  authSecret: required("BETTER_AUTH_SECRET"),
  ...(queue && { afterCommit: (change) => queue.enqueue(change) }),
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  console.log(`[baseline] listening on ${typeof address === "object" && address ? address.port : port}`);
});

async function shutdown() {
  server.close();
  server.closeAllConnections();
  await queue?.close();
  await pool.end();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown());
process.once("SIGINT", () => void shutdown());
