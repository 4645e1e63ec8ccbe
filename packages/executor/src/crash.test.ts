// Crash & resume: an executor dies while a step is in flight; a new executor on the same
// database finishes the run without re-running any step whose result was already stored.
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Executor, startExecutor } from "./index";
import { type Deferred, deferred, getFreePort, type SdkApp, startSdkApp, waitFor, waitForRun } from "./test-helpers";

const noop = () => undefined;

describe("crash and resume on the same database", () => {
  let database: TestDatabase;
  let app: SdkApp;
  let port = 0;
  let url = "";
  let inngest: Inngest;
  const running: Executor[] = [];

  const counts = new Map<string, number>();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const count = (key: string) => counts.get(key) ?? 0;
  const started = new Set<string>();
  const gates = new Map<string, Deferred>();

  const start = async (checkpointing: boolean, apps: string[] = []) => {
    const executor = await startExecutor({
      databaseUrl: database.url,
      port,
      apps,
      checkpointing,
      leaseMs: 1500,
      pollIntervalMs: 100,
      retryBaseDelayMs: 20,
      logger: "error",
    });
    running.push(executor);
    await executor.synced;
    return executor;
  };

  beforeAll(async () => {
    port = await getFreePort();
    url = `http://127.0.0.1:${port}`;
    inngest = new Inngest({
      id: "crash",
      isDev: true,
      baseUrl: url,
      logger: { info: noop, warn: noop, error: noop, debug: noop },
    });
    const fn = inngest.createFunction(
      { id: "three-steps", triggers: { event: "test/crashy" } },
      async ({ event, step }) => {
        const tag = (event.data as { tag: string }).tag;
        const a = await step.run("a", () => {
          bump(`${tag}:a`);
          return "a";
        });
        const b = await step.run("b", async () => {
          bump(`${tag}:b`);
          started.add(tag);
          await gates.get(tag)?.promise;
          return "b";
        });
        const c = await step.run("c", () => {
          bump(`${tag}:c`);
          return "c";
        });
        return `${a}${b}${c}`;
      },
    );
    database = await createTestDatabase({ maxConnections: 2 });
    app = await startSdkApp(inngest, [fn]);
  });

  afterAll(async () => {
    for (const e of running) await e.stop({ timeoutMs: 500 }).catch(noop);
    await app?.close();
    await database?.destroy();
  });

  const scenarios = [
    { name: "killed (checkpointing)", checkpointing: true, crash: true },
    { name: "killed (async protocol)", checkpointing: false, crash: true },
    { name: "graceful stop with a short timeout", checkpointing: true, crash: false },
  ];

  for (const scenario of scenarios) {
    it(`finishes a run after the executor is ${scenario.name}`, async () => {
      const tag = scenario.name;
      gates.set(tag, deferred());

      // The first executor also pulls the app's registration (PUT to the serve URL).
      const first = await start(scenario.checkpointing, [app.url]);
      const { ids } = await inngest.send({ name: "test/crashy", data: { tag } });
      const eventId = ids[0] ?? "";
      await waitFor(() => started.has(tag) || undefined, { what: "step b to start" });
      expect(count(`${tag}:a`)).toBe(1);

      if (scenario.crash) await first.kill();
      else await first.stop({ timeoutMs: 50 });

      // A fresh executor on the same port and database; step "b" is still blocked in the app.
      const second = await start(scenario.checkpointing);
      gates.get(tag)?.resolve();

      const run = await waitForRun(second.url, eventId, 20_000);
      expect(run.status).toBe("Completed");
      expect(run.output).toBe("abc");
      // "a" finished before the crash and must never run again; "c" ran only after resuming.
      expect(count(`${tag}:a`)).toBe(1);
      expect(count(`${tag}:c`)).toBe(1);
      // "b" was in flight when the executor went away: at-least-once, so once or twice.
      expect(count(`${tag}:b`)).toBeGreaterThanOrEqual(1);
      expect(count(`${tag}:b`)).toBeLessThanOrEqual(2);
      expect(run.steps.map((s) => [s.name, s.status])).toEqual([
        ["a", "completed"],
        ["b", "completed"],
        ["c", "completed"],
      ]);
      await second.stop({ timeoutMs: 1000 });
    });
  }
});
