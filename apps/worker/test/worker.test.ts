import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServerConfig } from "@acme/config";
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { startExecutor, type Executor } from "@acme/executor";
import { startWorkerServer, type WorkerServer } from "../src/server";

let database: TestDatabase;
let executor: Executor;
let worker: WorkerServer;

beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 4 });
  executor = await startExecutor({ port: 0, databaseUrl: database.url, poolSize: 2, logger: "warn" });
  process.env.INNGEST_DEV = executor.url;
  const config = loadServerConfig({ DATABASE_URL: database.url, APP_URL: "http://127.0.0.1:1" });
  worker = await startWorkerServer({ db: database.db, config, port: 0, host: "127.0.0.1" });
});

afterAll(async () => {
  await executor?.stop();
  await worker?.close();
  await database?.destroy();
});

describe("the worker", () => {
  it("serves the app's functions, which the executor registers at the worker's URL", async () => {
    await executor.syncApp(worker.serveUrl);
    const response = await fetch(`${executor.url}/v1/functions`);
    const { data } = (await response.json()) as { data: { slug: string; url?: string }[] };
    expect(data.map((fn) => fn.slug).sort()).toEqual([
      "profile-notify-apply-retention",
      "profile-notify-notify-profile-updated",
      "profile-notify-notify-profile-updated-failure",
      "profile-notify-retry-delivery",
      "profile-notify-retry-delivery-failure",
      "profile-notify-send-email",
      "profile-notify-send-email-failure",
    ]);
  });

  it("answers its health check and nothing else beside the functions", async () => {
    const base = worker.serveUrl.replace("/api/inngest", "");
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/api/trpc/user.update`)).status).toBe(404);
  });
});
