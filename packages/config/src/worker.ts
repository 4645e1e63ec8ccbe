import { z } from "zod";
import { int, port } from "./parsers";
import { loadServerConfig, parseEnv, serverEnvSchema, type ServerConfig } from "./server";

/** The functions' own process (`apps/worker`): the app's settings plus where it listens. */
export interface WorkerConfig {
  port: number;
  host: string;
  /** The worker's pg pool, apart from the app's. */
  poolSize: number;
  server: ServerConfig;
}

export const workerEnvSchema = z.object({
  WORKER_PORT: port(8289),
  WORKER_HOST: z.preprocess((v) => (v === "" ? undefined : v), z.string().default("127.0.0.1")),
  WORKER_POOL_SIZE: int(5, { min: 1, max: 200 }),
});

export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const raw = parseEnv(workerEnvSchema, env);
  return {
    port: raw.WORKER_PORT,
    host: raw.WORKER_HOST,
    poolSize: raw.WORKER_POOL_SIZE,
    server: loadServerConfig(env),
  };
}

// The SDK copies every environment variable on each request (`getProcessEnv`, ~3 µs a variable): the
// worker is started with only the variables it reads.
const workerPrefixes = ["INNGEST_", "NODE_"];
const workerVariables = new Set([
  ...Object.keys(serverEnvSchema.shape),
  ...Object.keys(workerEnvSchema.shape),
  "PATH",
  "HOME",
  "TZ",
  "LANG",
  "TSX_TSCONFIG_PATH",
]);

/** The part of `env` the worker reads (plus what Node and the SDK read). */
export function workerEnvironment(env: Record<string, string | undefined>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (workerVariables.has(key) || workerPrefixes.some((prefix) => key.startsWith(prefix))) picked[key] = value;
  }
  return picked;
}
