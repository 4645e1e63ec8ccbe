// Retention: old finished runs, their steps and old events go, in bounded batches; runs still
// going stay. Also checks the periodic job inside a running executor.
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { Inngest } from "inngest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Executor, startExecutor } from "./index";
import { createConsoleLogger } from "./log";
import { Store } from "./store";
import { getFreePort, type SdkApp, startSdkApp, waitFor, waitForRun } from "./test-helpers";

const noop = () => undefined;
const quiet = { info: noop, warn: noop, error: noop, debug: noop };

describe("retention", () => {
  let database: TestDatabase;
  let executor: Executor;
  let app: SdkApp;
  let inngest: Inngest;
  let url = "";
  let sql: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 3 });
    sql = new pg.Pool({ connectionString: database.url, max: 1 });
    const port = await getFreePort();
    url = `http://127.0.0.1:${port}`;
    inngest = new Inngest({ id: "ret", isDev: true, baseUrl: url, logger: quiet });
    const quick = inngest.createFunction({ id: "quick", triggers: { event: "r/quick" } }, async ({ step }) =>
      step.run("one", () => 1),
    );
    const sleeper = inngest.createFunction({ id: "sleeper", triggers: { event: "r/sleep" } }, async ({ step }) => {
      await step.sleep("long", "1h");
      return "late";
    });
    app = await startSdkApp(inngest, [quick, sleeper]);
    executor = await startExecutor({
      databaseUrl: database.url,
      port,
      apps: [app.url],
      pollIntervalMs: 100,
      logger: "silent",
      // Effectively off for the first test; the second starts its own executor.
      retentionIntervalMs: 24 * 60 * 60 * 1000,
    });
    await executor.synced;
  });

  afterAll(async () => {
    await executor?.stop({ timeoutMs: 1000 });
    await app?.close();
    await sql?.end();
    await database?.destroy();
  });

  const count = async (table: string) =>
    Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM inngest_executor.${table}`)).rows[0]?.n);

  it("deletes old finished runs, their steps and events in bounded batches, keeping runs still going", async () => {
    const quickEvents: string[] = [];
    for (let i = 0; i < 5; i++) quickEvents.push((await inngest.send({ name: "r/quick", data: { i } })).ids[0] ?? "");
    for (const id of quickEvents) await waitForRun(url, id);
    const sleepEvent = (await inngest.send({ name: "r/sleep", data: {} })).ids[0] ?? "";
    await waitFor(async () => (await count("steps")) >= 6 || undefined, { what: "the sleeper to start sleeping" });
    // Each finished run kept the request version the SDK answered with (stored with its steps).
    const versions = await sql.query<{ v: number | null }>(
      `SELECT request_version AS v FROM inngest_executor.runs WHERE status = 'Completed'`,
    );
    expect(versions.rows).toHaveLength(5);
    for (const { v } of versions.rows) expect(v).toBeGreaterThanOrEqual(0);
    // Everything is now 40 days old.
    await sql.query(`UPDATE inngest_executor.runs SET created_at = now() - interval '40 days',
                       ended_at = CASE WHEN ended_at IS NULL THEN NULL ELSE now() - interval '40 days' END`);
    await sql.query(`UPDATE inngest_executor.events SET received_at = now() - interval '40 days'`);

    const store = new Store({
      connectionString: database.url,
      poolSize: 1,
      schema: "inngest_executor",
      logger: createConsoleLogger("silent"),
    });
    const result = await store.pruneOlderThan(new Date(Date.now() - 30 * 24 * 60 * 60 * 1000), 2);
    await store.close();

    expect(result.runs).toBe(5);
    // The five events sent (no function listens to inngest/function.finished, so none is stored).
    expect(result.events).toBe(5);
    expect(result.batches).toBe(3 + 3); // 2 + 2 + 1 runs, then 2 + 2 + 1 events
    expect(await count("runs")).toBe(1);
    expect(await count("events")).toBe(1);
    const kept = await sql.query<{ id: string }>(`SELECT internal_id AS id FROM inngest_executor.events`);
    expect(kept.rows[0]?.id).toBe(sleepEvent);
    // No orphaned steps or timeline rows remain for the deleted runs.
    expect(await count("steps")).toBe(1);
    expect(
      Number(
        (
          await sql.query<{ n: string }>(
            `SELECT count(*) AS n FROM inngest_executor.attempts a
             WHERE NOT EXISTS (SELECT 1 FROM inngest_executor.runs r WHERE r.id = a.run_id)`,
          )
        ).rows[0]?.n,
      ),
    ).toBe(0);
  });

  it("runs periodically inside the executor", async () => {
    await executor.stop({ timeoutMs: 1000 });
    executor = await startExecutor({
      databaseUrl: database.url,
      port: Number(new URL(url).port),
      pollIntervalMs: 100,
      logger: "silent",
      retentionMs: 500,
      retentionIntervalMs: 200,
    });
    const eventId = (await inngest.send({ name: "r/quick", data: { late: true } })).ids[0] ?? "";
    const run = await waitForRun(url, eventId);
    await waitFor(async () => ((await fetch(`${url}/v1/runs/${run.run_id}`)).status === 404 ? true : undefined), {
      what: "the run to be deleted",
      timeoutMs: 5000,
    });
  });
});
