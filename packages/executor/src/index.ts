// Embedded Inngest-protocol executor: a local stand-in for the Inngest Dev Server that drives the
// unchanged SDK `serve()` handler over HTTP and keeps all state in PostgreSQL.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { createConsoleLogger, type Logger, type LogLevel } from "./log";
import { HeaderKeys } from "./consts";
import { canonicalJson, isHexSigningKey, signBody } from "./signing";
import { type AppRegistration, parseRegistration } from "./registration";
import { Retention } from "./retention";
import { Runner } from "./runner";
import { Scheduler } from "./scheduler";
import { createRequestHandler } from "./server";
import { type DirectLease, Store } from "./store";

export type { Logger, LogLevel } from "./log";
export type { AttemptView, RunView, StepView } from "./api-views";
export type { JsonObject, JsonValue, SerializedError } from "./json";

export interface ExecutorOptions {
  /** PostgreSQL connection string; the executor keeps its tables in `schema`. */
  databaseUrl: string;
  /** Port for the event/sync/inspection API. Default 8288 (the Dev Server's); 0 picks a free port. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Serve URLs (e.g. http://127.0.0.1:3000/api/inngest) to sync on start, retried until the app answers. */
  apps?: string[];
  /** pg pool size. Default 3 (the embedded PGlite server accepts few connections). */
  poolSize?: number;
  /** Max concurrent SDK requests. Default 50. */
  concurrency?: number;
  /** Short retry schedule (`base * 2^attempt`) instead of Inngest's default 15 s, 30 s, 1 min, ... */
  retryBaseDelayMs?: number;
  /** How long a claimed job stays leased without a heartbeat (crash recovery delay). Default 30 s. */
  leaseMs?: number;
  /** How often to look for due work written by other executors. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Timeout of one SDK request. Default 5 min. */
  requestTimeoutMs?: number;
  /** Let the SDK checkpoint several steps per request (sends `ctx.fn_id`). Default true, like Inngest. */
  checkpointing?: boolean;
  /**
   * Hex signing key (optionally `signkey-<env>-` prefixed). When set, requests to the SDK are
   * signed (`X-Inngest-Signature`) as Inngest Cloud does, and `/fn/register`, `/v0/*`, `/v1/*`
   * require `Authorization: Bearer <hashed key>` as self-hosted Inngest does.
   */
  signingKey?: string;
  /** When set, the event API (`POST /e/:key`) accepts only this key. */
  eventKey?: string;
  /** Default "inngest_executor". */
  schema?: string;
  /** A logger, or a level for the built-in console logger. Default "info". */
  logger?: Logger | LogLevel;
  /** Default grace period for `stop()`. Default 10 s. */
  shutdownTimeoutMs?: number;
  /** Finished runs (with steps) and events older than this are deleted. Default 30 days. */
  retentionMs?: number;
  /** How often the retention job runs. Default 1 h. */
  retentionIntervalMs?: number;
  /** Rows deleted per retention transaction. Default 1000. */
  retentionBatchSize?: number;
}

export interface Executor {
  /** Base URL to use as the SDK's `baseUrl` / `INNGEST_DEV` / `INNGEST_BASE_URL`. */
  url: string;
  port: number;
  /** Resolves once every app in `options.apps` has synced once (never rejects; retries forever). */
  synced: Promise<void>;
  /** Pull-sync one app now (`PUT <serveUrl>`), retrying until it answers or the executor stops. */
  syncApp(serveUrl: string): Promise<void>;
  /** Stops accepting work, waits for in-flight SDK requests (up to the timeout), releases leases. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /**
   * Simulates a crash (for tests): aborts in-flight requests and drops connections without writing
   * anything else; leases are left to expire so another executor resumes the runs.
   */
  kill(): Promise<void>;
}

export async function startExecutor(options: ExecutorOptions): Promise<Executor> {
  const logger = typeof options.logger === "object" ? options.logger : createConsoleLogger(options.logger ?? "info");
  if (options.signingKey !== undefined && !isHexSigningKey(options.signingKey)) {
    throw new Error("signingKey must be hex (optionally prefixed with signkey-<env>-), as Inngest requires");
  }
  if (options.eventKey !== undefined && options.eventKey.trim() === "") throw new Error("eventKey must not be empty");
  const leaseMs = options.leaseMs ?? 30_000;
  const store = new Store({
    connectionString: options.databaseUrl,
    poolSize: options.poolSize ?? 3,
    schema: options.schema ?? "inngest_executor",
    logger,
  });
  try {
    await store.init();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }

  const runner: Runner = new Runner({
    store,
    logger,
    retryBaseDelayMs: options.retryBaseDelayMs,
    checkpointing: options.checkpointing ?? true,
    signingKey: options.signingKey,
    requestTimeoutMs: options.requestTimeoutMs ?? 300_000,
    directLease: (): DirectLease | undefined => scheduler.directLease(),
  });
  const scheduler: Scheduler = new Scheduler({
    store,
    runner,
    logger,
    owner: `executor-${randomUUID()}`,
    concurrency: options.concurrency ?? 50,
    leaseMs,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
  });

  const server = http.createServer(
    createRequestHandler({
      store,
      logger,
      leaseMs,
      onWork: () => scheduler.wake(),
      ...(options.eventKey !== undefined ? { eventKey: options.eventKey } : {}),
      ...(options.signingKey !== undefined ? { signingKey: options.signingKey } : {}),
    }),
  );
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 8288, options.host ?? "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1"}:${port}`;
  const retention = new Retention({
    store,
    logger,
    maxAgeMs: options.retentionMs ?? 30 * 24 * 60 * 60 * 1000,
    intervalMs: options.retentionIntervalMs ?? 60 * 60 * 1000,
    batchSize: options.retentionBatchSize ?? 1000,
  });
  retention.start();
  logger.info(`listening on ${url}`);

  const lifetime = new AbortController();
  const syncApp = (serveUrl: string) =>
    pullSync(serveUrl, { store, logger, signingKey: options.signingKey, signal: lifetime.signal }).then(() => {
      runner.appReached(serveUrl);
      scheduler.wake();
    });
  const synced = Promise.all((options.apps ?? []).map(syncApp)).then(() => undefined);
  // With apps to sync, work starts once they answered: no calls into an app that is still starting.
  if ((options.apps ?? []).length > 0) void synced.then(() => scheduler.start());
  else scheduler.start();

  const closeServer = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    synced,
    syncApp,
    stop({ timeoutMs } = {}) {
      stopped ??= (async () => {
        lifetime.abort();
        const closing = closeServer();
        await retention.stop();
        await scheduler.stop(timeoutMs ?? options.shutdownTimeoutMs ?? 10_000);
        server.closeAllConnections();
        await closing;
        await store.close();
        logger.info("stopped");
      })();
      return stopped;
    },
    kill() {
      stopped ??= (async () => {
        lifetime.abort();
        store.kill();
        void retention.stop();
        const closing = closeServer();
        server.closeAllConnections();
        await scheduler.kill();
        await closing;
        await store.close();
      })();
      return stopped;
    },
  };
}

/**
 * Asks the app for its functions with an in-band sync (`PUT` + `x-inngest-sync-kind: in_band`,
 * answered with the function configs). SDKs that only do out-of-band sync instead call
 * `POST /fn/register` on their configured Inngest URL before answering.
 */
async function pullSync(
  serveUrl: string,
  deps: { store: Store; logger: Logger; signingKey?: string; signal: AbortSignal },
): Promise<void> {
  let delay = 250;
  let lastProblem: string;
  while (!deps.signal.aborted) {
    try {
      const body = canonicalJson({ url: serveUrl });
      const headers: Record<string, string> = {
        "content-type": "application/json",
        [HeaderKeys.SyncKind]: "in_band",
        [HeaderKeys.ServerKind]: deps.signingKey ? "cloud" : "dev",
      };
      if (deps.signingKey) headers[HeaderKeys.Signature] = signBody(body, deps.signingKey);
      const res = await fetch(serveUrl, {
        method: "PUT",
        headers,
        body,
        // Generous: the first request may trigger a dev-server compile of the route.
        signal: AbortSignal.any([deps.signal, AbortSignal.timeout(60_000)]),
      });
      const text = await res.text();
      if (res.ok) {
        if (res.headers.get(HeaderKeys.SyncKind) === "in_band") {
          let reg: AppRegistration;
          try {
            reg = parseRegistration(JSON.parse(text));
          } catch (err) {
            // Permanent until the app changes: say so loudly instead of retrying forever.
            deps.logger.error(`cannot sync the app at ${serveUrl}: ${(err as Error).message}`);
            return;
          }
          await deps.store.registerApp(reg);
          deps.logger.info(`synced app "${reg.appId}" (${reg.functions.length} functions) from ${serveUrl}`);
        } else {
          deps.logger.info(`app at ${serveUrl} synced out-of-band (it called its configured /fn/register)`);
        }
        return;
      }
      lastProblem = `HTTP ${res.status}: ${text.slice(0, 200)}`;
    } catch (err) {
      if (deps.signal.aborted) return;
      const e = err as Error & { cause?: { code?: string } };
      lastProblem = e.cause?.code ?? e.message;
    }
    deps.logger.debug(`app at ${serveUrl} not ready (${lastProblem}); retrying in ${delay}ms`);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, delay);
      deps.signal.addEventListener(
        "abort",
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
    delay = Math.min(delay * 2, 5_000);
  }
}
