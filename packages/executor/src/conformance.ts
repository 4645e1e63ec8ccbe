// Conformance suite: the REAL inngest SDK (`serve` from inngest/node, unchanged) driven by the
// embedded executor, or by a real Inngest server when INNGEST_DEV points at one (see the
// README). It asserts only what Inngest itself guarantees: how often user code ran, run
// status and output from the REST API, timing. Executor-specific details live in executor.test.ts.
// Defined once and run with and without async checkpointing.
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { Inngest, NonRetriableError, RetryAfterError } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Executor, type LogLevel, startExecutor } from "./index";
import { getFreePort, runsForEvent, type SdkApp, startSdkApp, waitFor, waitForRun } from "./test-helpers";

/** A real Inngest server to test against instead of the embedded executor (e.g. http://127.0.0.1:8288). */
const realInngest = process.env.INNGEST_DEV?.startsWith("http")
  ? process.env.INNGEST_DEV.replace(/\/+$/, "")
  : undefined;
// A real server retries on its own schedule (start it with a short --retry-interval); allow for it.
const slow = realInngest ? 180_000 : 30_000;

export function defineConformanceSuite({
  checkpointing,
  bufferedSteps,
}: {
  checkpointing: boolean;
  /** The SDK's `checkpointing.bufferedSteps`: finished steps travel in batches, the last ones with the result. */
  bufferedSteps?: number;
}): void {
  const target = realInngest ? `Inngest at ${realInngest}` : "embedded executor";
  const mode = `checkpointing: ${checkpointing}${bufferedSteps ? `, ${bufferedSteps} steps buffered` : ""}`;
  describe(`${target} + real SDK (${mode})`, { timeout: slow }, () => {
    let database: TestDatabase;
    let executor: Executor;
    let app: SdkApp;
    let executorUrl = "";

    const counts = new Map<string, number>();
    const bump = (key: string) => {
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      return n;
    };
    const count = (key: string) => counts.get(key) ?? 0;
    const times = new Map<string, number[]>();
    const stamp = (key: string) => times.set(key, [...(times.get(key) ?? []), Date.now()]);
    const failures: Array<{ message: string; functionId: unknown; originalEvent: unknown }> = [];
    const children: unknown[] = [];

    const appId = bufferedSteps ? "conf-buf" : checkpointing ? "conf-cp" : "conf-async";
    const fnId = (id: string) => `${appId}-${id}`;
    let inngest: Inngest;

    beforeAll(async () => {
      const port = await getFreePort();
      executorUrl = realInngest ?? `http://127.0.0.1:${port}`;
      inngest = new Inngest({
        id: appId,
        isDev: true,
        baseUrl: executorUrl,
        logger: quietLogger,
        ...(bufferedSteps && { checkpointing: { bufferedSteps, maxInterval: "1s" } }),
      });

      const functions = [
        inngest.createFunction({ id: "one-step", triggers: { event: "test/one-step" } }, async ({ event, step }) => {
          const doubled = await step.run("double", () => {
            bump("one-step:double");
            return (event.data as { n: number }).n * 2;
          });
          return { doubled };
        }),

        inngest.createFunction({ id: "multi-step", triggers: { event: "test/multi-step" } }, async ({ step }) => {
          const a = await step.run("a", () => {
            bump("multi:a");
            return "A";
          });
          const b = await step.run("b", () => {
            bump("multi:b");
            return `${a}B`;
          });
          const c = await step.run("c", () => {
            bump("multi:c");
            return { value: `${b}C` };
          });
          return c.value;
        }),

        inngest.createFunction({ id: "parallel", triggers: { event: "test/parallel" } }, async ({ step }) => {
          const values = await Promise.all(
            [1, 2, 3].map((n) =>
              step.run(`p${n}`, async () => {
                bump(`parallel:p${n}`);
                await new Promise((r) => setTimeout(r, 20));
                return n * 10;
              }),
            ),
          );
          const total = await step.run("sum", () => {
            bump("parallel:sum");
            return values.reduce((x, y) => x + y, 0);
          });
          return { values, total };
        }),

        inngest.createFunction({ id: "flaky-step", triggers: { event: "test/flaky-step" } }, async ({ step }) => {
          const result = await step.run("flaky", () => {
            if (bump("flaky") < 3) throw new Error(`flaky failure ${count("flaky")}`);
            return "recovered";
          });
          return result;
        }),

        inngest.createFunction({ id: "caught", retries: 1, triggers: { event: "test/caught" } }, async ({ step }) => {
          try {
            await step.run("always-fails", () => {
              bump("caught:step");
              throw new Error("nope");
            });
            return "unreachable";
          } catch (err) {
            return `caught: ${(err as Error).message}`;
          }
        }),

        inngest.createFunction(
          { id: "flaky-fn", retries: 2, triggers: { event: "test/flaky-fn" } },
          async ({ attempt }) => {
            bump("flaky-fn");
            if (attempt === 0) throw new Error("function-level failure");
            return { attempt };
          },
        ),

        inngest.createFunction({ id: "non-retriable", triggers: { event: "test/non-retriable" } }, async ({ step }) => {
          await step.run("refuse", () => {
            bump("non-retriable");
            throw new NonRetriableError("do not retry me");
          });
          return "unreachable";
        }),

        inngest.createFunction({ id: "retry-after", triggers: { event: "test/retry-after" } }, async ({ step }) => {
          return step.run("later", () => {
            stamp("retry-after");
            if ((times.get("retry-after")?.length ?? 0) === 1) throw new RetryAfterError("come back later", 1000);
            return "done";
          });
        }),

        inngest.createFunction(
          {
            id: "fails",
            retries: 1,
            triggers: { event: "test/fails" },
            onFailure: async ({ error, event }) => {
              failures.push({
                message: error.message,
                functionId: event.data.function_id,
                originalEvent: event.data.event,
              });
            },
          },
          async () => {
            bump("fails");
            throw new Error("boom");
          },
        ),

        inngest.createFunction({ id: "dedupe", triggers: { event: "test/dedupe" } }, async ({ event }) => {
          bump(`dedupe:${String((event.data as { tag: string }).tag)}`);
          return "ok";
        }),

        inngest.createFunction(
          { id: "idempotent", idempotency: "event.data.changeId", triggers: { event: "test/idempotent" } },
          async ({ event }) => {
            bump(`idempotent:${String((event.data as { changeId: string }).changeId)}`);
            return "ok";
          },
        ),

        inngest.createFunction({ id: "sleeper", triggers: { event: "test/sleep" } }, async ({ step }) => {
          const before = await step.run("before", () => {
            bump("sleep:before");
            return Date.now();
          });
          await step.sleep("nap", "1s");
          const after = await step.run("after", () => {
            bump("sleep:after");
            return Date.now();
          });
          return { sleptMs: after - before };
        }),

        inngest.createFunction({ id: "parent", triggers: { event: "test/parent" } }, async ({ event, step }) => {
          const sent = await step.sendEvent("notify-child", {
            name: "test/child",
            data: { from: (event.data as { tag: string }).tag },
          });
          return sent.ids;
        }),

        inngest.createFunction({ id: "child", triggers: { event: "test/child" } }, async ({ event }) => {
          children.push(event.data);
          return "child done";
        }),

        inngest.createFunction(
          { id: "filtered", triggers: { event: "test/filtered", if: "event.data.kind == 'yes'" } },
          async () => "matched",
        ),
      ];

      const appPort = await getFreePort();
      if (realInngest) {
        app = await startSdkApp(inngest, functions, appPort);
        // Out-of-band sync: the SDK registers itself with the server it is configured for.
        const res = await fetch(app.url, { method: "PUT" });
        if (!res.ok) throw new Error(`sync with ${realInngest} failed: ${res.status} ${await res.text()}`);
        return;
      }
      database = await createTestDatabase({ maxConnections: 2 });
      // The executor starts first and keeps retrying the pull-sync until the app is up.
      executor = await startExecutor({
        databaseUrl: database.url,
        port,
        apps: [`http://127.0.0.1:${appPort}/api/inngest`],
        retryBaseDelayMs: 20,
        pollIntervalMs: 200,
        checkpointing,
        // Expected failures are logged loudly; set EXECUTOR_TEST_LOG=debug|warn to see them.
        logger: (process.env.EXECUTOR_TEST_LOG as LogLevel | undefined) ?? "silent",
      });
      app = await startSdkApp(inngest, functions, appPort);
      await executor.synced;
    });

    afterAll(async () => {
      await executor?.stop({ timeoutMs: 2000 });
      await app?.close();
      await database?.destroy();
    });

    const send = async (name: string, data: Record<string, unknown> = {}, id?: string) => {
      const { ids } = await inngest.send({ name, data, ...(id ? { id } : {}) });
      const eventId = ids[0];
      if (!eventId) throw new Error("no event id returned");
      return eventId;
    };

    it("accepts the SDK's out-of-band registration (PUT to the app -> POST /fn/register)", async () => {
      const res = await fetch(app.url, { method: "PUT" });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ modified: true });
    });

    it("runs a function with one step", async () => {
      const eventId = await send("test/one-step", { n: 21 });
      const run = await waitForRun(executorUrl, eventId, slow);
      expect(run.status).toBe("Completed");
      expect(run.output).toEqual({ doubled: 42 });
      expect(count("one-step:double")).toBe(1);
    });

    it("runs several sequential steps, each exactly once, with memoized data", async () => {
      const eventId = await send("test/multi-step");
      const run = await waitForRun(executorUrl, eventId, slow);
      expect(run.status).toBe("Completed");
      expect(run.output).toBe("ABC");
      expect([count("multi:a"), count("multi:b"), count("multi:c")]).toEqual([1, 1, 1]);
      if (!realInngest) {
        // Kept for the timeline however the run ended (buffered, by the statement that completed
        // the run), and nothing left queued.
        expect(run.steps.map((st) => [st.name, st.status]).sort()).toEqual([
          ["a", "completed"],
          ["b", "completed"],
          ["c", "completed"],
        ]);
        const [jobs] = await database.db.$queryRawUnsafe<{ n: number }[]>(
          "SELECT count(*)::int AS n FROM inngest_executor.jobs WHERE run_id = $1",
          run.run_id,
        );
        expect(jobs?.n).toBe(0);
      }
    });

    it("runs parallel steps (Promise.all of step.run) as separate invocations", async () => {
      const eventId = await send("test/parallel");
      const run = await waitForRun(executorUrl, eventId, slow);
      expect(run.status).toBe("Completed");
      expect(run.output).toEqual({ values: [10, 20, 30], total: 60 });
      expect([1, 2, 3].map((n) => count(`parallel:p${n}`))).toEqual([1, 1, 1]);
      expect(count("parallel:sum")).toBe(1);
    });

    it("retries a failing step with backoff until it succeeds", async () => {
      const eventId = await send("test/flaky-step");
      const run = await waitForRun(executorUrl, eventId, slow);
      expect(run.status).toBe("Completed");
      expect(run.output).toBe("recovered");
      expect(count("flaky")).toBe(3);
    });

    it("throws a step's final error into the function once its attempts are exhausted", async () => {
      const eventId = await send("test/caught");
      const run = await waitForRun(executorUrl, eventId, slow);
      expect(run.status).toBe("Completed");
      expect(run.output).toBe("caught: nope");
      expect(count("caught:step")).toBe(2); // retries: 1 => 2 attempts
    });

    it("retries a function-level error (HTTP 500) as a new attempt", async () => {
      const eventId = await send("test/flaky-fn");
      const run = await waitForRun(executorUrl, eventId, slow);
      expect(run.status).toBe("Completed");
      expect(run.output).toEqual({ attempt: 1 });
      expect(count("flaky-fn")).toBe(2);
    });

    it("does not retry a NonRetriableError and fails the run", async () => {
      const eventId = await send("test/non-retriable");
      const run = await waitForRun(executorUrl, eventId, slow);
      expect(run.status).toBe("Failed");
      expect(count("non-retriable")).toBe(1);
      expect(JSON.stringify(run.error)).toContain("do not retry me");
    });

    it("honours RetryAfterError instead of the configured backoff", async () => {
      const eventId = await send("test/retry-after");
      const run = await waitForRun(executorUrl, eventId, slow);
      expect(run.status).toBe("Completed");
      const [first = 0, second = 0] = times.get("retry-after") ?? [];
      // retryBaseDelayMs is 20 ms, so a ~1 s gap can only come from retry-after.
      expect(second - first).toBeGreaterThanOrEqual(900);
      expect(second - first).toBeLessThan(8000);
    });

    it("calls onFailure with the final error after retries are exhausted", async () => {
      const eventId = await send("test/fails", { reason: "testing" });
      const run = await waitForRun(executorUrl, eventId, slow);
      expect(run.status).toBe("Failed");
      expect(count("fails")).toBe(2); // retries: 1 => 2 attempts
      await waitFor(() => failures.length > 0 || undefined, { what: "onFailure handler" });
      expect(failures[0]).toMatchObject({
        message: "boom",
        functionId: fnId("fails"),
        originalEvent: { name: "test/fails", data: { reason: "testing" } },
      });
    });

    it("runs a function once per event id, however often the event is sent", async () => {
      const first = await send("test/dedupe", { tag: "d1" }, `dup-${appId}`);
      const second = await send("test/dedupe", { tag: "d1-again" }, `dup-${appId}`);
      const run = await waitForRun(executorUrl, first, slow);
      expect(run.status).toBe("Completed");
      expect(count("dedupe:d1")).toBe(1);
      expect(count("dedupe:d1-again")).toBe(0);
      expect(await runsForEvent(executorUrl, second)).toHaveLength(0);
    });

    it("skips a second run with the same function idempotency key", async () => {
      const a = await send("test/idempotent", { changeId: "c1" });
      const b = await send("test/idempotent", { changeId: "c1" });
      const c = await send("test/idempotent", { changeId: "c2" });
      expect(new Set([a, b, c]).size).toBe(3);
      await waitForRun(executorUrl, a, slow);
      await waitForRun(executorUrl, c, slow);
      expect(await runsForEvent(executorUrl, b)).toHaveLength(0);
      expect(count("idempotent:c1")).toBe(1);
      expect(count("idempotent:c2")).toBe(1);
    });

    it("sleeps durably between steps", async () => {
      const eventId = await send("test/sleep");
      const run = await waitForRun(executorUrl, eventId, slow);
      expect(run.status).toBe("Completed");
      expect((run.output as { sleptMs: number }).sleptMs).toBeGreaterThanOrEqual(950);
      expect([count("sleep:before"), count("sleep:after")]).toEqual([1, 1]);
    });

    it("step.sendEvent sends through the event API and triggers other functions", async () => {
      const eventId = await send("test/parent", { tag: "family" });
      const parent = await waitForRun(executorUrl, eventId, slow);
      expect(parent.status).toBe("Completed");
      const [childEventId] = parent.output as string[];
      expect(childEventId).toBeTruthy();
      const child = await waitForRun(executorUrl, childEventId ?? "", slow);
      expect(child.output).toBe("child done");
      expect(children).toContainEqual({ from: "family" });
    });

    it("evaluates trigger `if` expressions", async () => {
      const no = await send("test/filtered", { kind: "no" });
      const yes = await send("test/filtered", { kind: "yes" });
      expect((await waitForRun(executorUrl, yes, slow)).output).toBe("matched");
      expect(await runsForEvent(executorUrl, no)).toHaveLength(0);
    });

    it("rejects invalid events", async () => {
      const res = await fetch(`${executorUrl}/e/key`, { method: "POST", body: JSON.stringify({ data: {} }) });
      expect(res.status).toBe(400);
    });
  });
}

const noop = () => undefined;
const quietLogger = { info: noop, warn: noop, error: noop, debug: noop };
