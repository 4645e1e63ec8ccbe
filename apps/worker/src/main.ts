// The Inngest functions in their own process: `pnpm dev` / `pnpm start` start it and register it
// with the executor; a deployment runs it beside the app with the app's environment.
import { loadWorkerConfig } from "@acme/config";
import { createPrismaClient } from "@acme/db";
import { startWorkerServer } from "./server";

// The Inngest SDK copies the environment it cares about from process.env many times per request,
// and Node's process.env asks the C++ environment for each key (18 µs a scan, 1 µs for a plain
// object). The worker reads its settings once and starts no process, so a snapshot serves.
// eslint-disable-next-line no-restricted-properties -- replaced by a copy of itself, not read
process.env = { ...process.env };
const config = loadWorkerConfig();
const db = createPrismaClient({ connectionString: config.server.database.url, maxConnections: config.poolSize });
const worker = await startWorkerServer({ db, config: config.server, port: config.port, host: config.host });
console.log(`[worker] Inngest functions at ${worker.serveUrl}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  // In-flight steps finish (the executor stops calling first); their results reach the executor.
  await worker.close();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
