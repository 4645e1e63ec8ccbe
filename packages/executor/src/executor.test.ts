// The embedded executor's own behaviour with the real SDK: what conformance.ts cannot assert
// because it must also pass against a real Inngest server (REST details, flow control, cron,
// sync-time refusals, and the protocol corners Inngest defines).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunView } from "./api-views";
import { type Executor, startExecutor } from "./index";
import {
  type Deferred,
  deferred,
  getFreePort,
  getJson,
  type SdkApp,
  startSdkApp,
  waitFor,
  waitForRun,
} from "./test-helpers";

const noop = () => undefined;
const quiet = { info: noop, warn: noop, error: noop, debug: noop };

describe("embedded executor specifics", () => {
  let database: TestDatabase;
  let executor: Executor;
  let app: SdkApp;
  let url = "";
  let inngest: Inngest;
  const starts = new Map<string, number[]>();
  const stamp = (key: string) => starts.set(key, [...(starts.get(key) ?? []), Date.now()]);
  const gates = new Map<string, Deferred>();
  const failures: unknown[] = [];
  const crons: unknown[] = [];
  let flaky = 0;

  beforeAll(async () => {
    const port = await getFreePort();
    url = `http://127.0.0.1:${port}`;
    inngest = new Inngest({ id: "spec", isDev: true, baseUrl: url, logger: quiet });
    const functions = [
      inngest.createFunction({ id: "echo", triggers: { event: "spec/echo" } }, async ({ event }) => ({
        user: (event as { user?: unknown }).user ?? null,
      })),
      inngest.createFunction({ id: "flaky", retries: 2, triggers: { event: "spec/flaky" } }, async ({ step }) => {
        return step.run("flaky-step", () => {
          flaky++;
          if (flaky < 2) throw new Error("first try fails");
          return "ok";
        });
      }),
      inngest.createFunction(
        {
          id: "fails",
          retries: 0,
          triggers: { event: "spec/fails" },
          onFailure: async ({ event }) => {
            failures.push(event);
          },
        },
        async () => {
          throw new Error("always");
        },
      ),
      inngest.createFunction({ id: "nap", triggers: { event: "spec/nap" } }, async ({ step }) => {
        await step.sleep("zero", 0);
        return "awake";
      }),
      inngest.createFunction({ id: "waits", triggers: { event: "spec/waits" } }, async ({ step }) => {
        await step.waitForEvent("wait", { event: "spec/never", timeout: "1h" });
        return "unreachable";
      }),
      inngest.createFunction(
        {
          id: "throttled",
          throttle: { limit: 2, period: "1s", key: "event.data.user" },
          triggers: { event: "spec/throttled" },
        },
        async ({ event }) => {
          stamp(`throttled:${String(event.data.user)}`);
          return "done";
        },
      ),
      inngest.createFunction(
        {
          id: "keyed",
          concurrency: { limit: 1, key: "event.data.user" },
          triggers: { event: "spec/keyed" },
        },
        async ({ event, step }) => {
          const tag = String(event.data.tag);
          await step.run("work", async () => {
            stamp(`keyed:${tag}`);
            await gates.get(tag)?.promise;
            return tag;
          });
          return tag;
        },
      ),
      inngest.createFunction({ id: "every-second", triggers: { cron: "* * * * * *" } }, async ({ event }) => {
        crons.push(event);
        return "tick";
      }),
    ];
    database = await createTestDatabase({ maxConnections: 2 });
    const appPort = await getFreePort();
    executor = await startExecutor({
      databaseUrl: database.url,
      port,
      apps: [`http://127.0.0.1:${appPort}/api/inngest`],
      retryBaseDelayMs: 20,
      pollIntervalMs: 100,
      logger: "silent",
    });
    app = await startSdkApp(inngest, functions, appPort);
    await executor.synced;
  });

  afterAll(async () => {
    await executor?.stop({ timeoutMs: 1000 });
    await app?.close();
    await database?.destroy();
  });

  const send = async (name: string, data: Record<string, unknown> = {}, id?: string) => {
    const { ids } = await inngest.send({ name, data, ...(id ? { id } : {}) });
    return ids[0] ?? "";
  };

  it("serves runs in the shape of Inngest's REST API, with a step timeline", async () => {
    const eventId = await send("spec/flaky");
    const run = await waitForRun(url, eventId);
    const body = await getJson<{ data: RunView; metadata: { fetched_at: string } }>(`${url}/v1/runs/${run.run_id}`);
    const fns = await getJson<{ data: Array<{ id: string; slug: string }> }>(`${url}/v1/functions`);
    expect(body.metadata.fetched_at).toEqual(expect.any(String));
    expect(body.data).toMatchObject({
      run_id: run.run_id,
      run_started_at: expect.any(String),
      function_id: fns.data.find((f) => f.slug === "spec-flaky")?.id,
      function_version: 1,
      environment_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      event_id: eventId,
      batch_id: null,
      original_run_id: null,
      cron: null,
      status: "Completed",
      ended_at: expect.any(String),
      output: "ok",
    });
    const step = body.data.steps.find((s) => s.name === "flaky-step");
    expect(step).toMatchObject({ status: "completed", attempts: 2 });
    expect(step?.history.map((h) => [h.attempt, h.outcome])).toEqual([
      [0, "error"],
      [1, "completed"],
    ]);
    expect(step?.history[0]?.error).toMatchObject({ message: "first try fails" });
    for (const h of step?.history ?? []) {
      expect(h.duration_ms).toBeGreaterThanOrEqual(0);
      expect(Date.parse(h.ended_at)).toBeGreaterThanOrEqual(Date.parse(h.started_at ?? ""));
    }
  });

  it("answers malformed and unknown ids with Inngest's error body", async () => {
    const bad = await fetch(`${url}/v1/runs/not-a-ulid`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "Invalid run ID: not-a-ulid", data: null, status: 400 });
    const missing = await fetch(`${url}/v1/runs/01ARZ3NDEKTSV4RRFFQ69G5FAV`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ data: null, status: 404 });
    expect((await fetch(`${url}/v1/events/sender-id/runs`)).status).toBe(400);
  });

  it("gives events `user: {}` and answers a duplicate event id with a new id", async () => {
    const first = await send("spec/echo", {}, "same-id");
    const second = await send("spec/echo", {}, "same-id");
    expect(second).not.toBe(first);
    expect((await waitForRun(url, first)).output).toEqual({ user: {} });
    expect((await getJson<{ data: RunView[] }>(`${url}/v1/events/${second}/runs`)).data).toEqual([]);
  });

  it("emits inngest/function.failed with Inngest's payload", async () => {
    const eventId = await send("spec/fails", { why: "test" });
    const run = await waitForRun(url, eventId);
    expect(run.status).toBe("Failed");
    await waitFor(() => failures.length > 0 || undefined, { what: "the failure handler" });
    expect(failures[0]).toMatchObject({
      id: run.run_id,
      name: "inngest/function.failed",
      user: {},
      data: {
        function_id: "spec-fails",
        run_id: run.run_id,
        error: { name: "Error", message: "always" },
        event: { name: "spec/fails", data: { why: "test" } },
        events: [{ name: "spec/fails", data: { why: "test" } }],
        _inngest: { status: "Failed" },
      },
    });
  });

  it("sleeps zero for step.sleep(0)", async () => {
    const run = await waitForRun(url, await send("spec/nap"));
    expect(run).toMatchObject({ status: "Completed", output: "awake" });
  });

  it("fails runs that use an op it does not implement, naming it", async () => {
    const run = await waitForRun(url, await send("spec/waits"));
    expect(run.status).toBe("Failed");
    expect((run.error as { message: string }).message).toMatch(/step\.waitForEvent\(\).*not supported/);
  });

  it("throttles starts per key, delaying (not dropping) the excess", async () => {
    const sentAt = Date.now();
    const ids = await Promise.all([1, 2, 3, 4].map(() => send("spec/throttled", { user: "a" })));
    const other = await send("spec/throttled", { user: "b" });
    const runs = await Promise.all([...ids, other].map((id) => waitForRun(url, id, 10_000)));
    expect(runs.every((r) => r.status === "Completed")).toBe(true);
    const a = (starts.get("throttled:a") ?? []).sort((x, y) => x - y);
    const b = starts.get("throttled:b") ?? [];
    expect(a).toHaveLength(4);
    // Two at once, then one per 500 ms: the 4th cannot start before ~1 s after the events were sent
    // (measured from the send: a late first start on a busy machine must not shrink the gap).
    expect((a[3] ?? 0) - sentAt).toBeGreaterThanOrEqual(950);
    // Another key is not held up behind "a".
    expect((b[0] ?? 0) - (a[0] ?? 0)).toBeLessThan(500);
  });

  it("limits concurrency per key without holding up other keys", async () => {
    for (const tag of ["a1", "a2", "b1"]) gates.set(tag, deferred());
    const a1 = await send("spec/keyed", { user: "a", tag: "a1" });
    await waitFor(() => starts.get("keyed:a1") || undefined, { what: "a1 to start" });
    const a2 = await send("spec/keyed", { user: "a", tag: "a2" });
    const b1 = await send("spec/keyed", { user: "b", tag: "b1" });
    await waitFor(() => starts.get("keyed:b1") || undefined, { what: "b1 to start while a1 runs" });
    expect(starts.get("keyed:a2")).toBeUndefined();
    gates.get("a1")?.resolve();
    await waitFor(() => starts.get("keyed:a2") || undefined, { what: "a2 to start after a1" });
    gates.get("a2")?.resolve();
    gates.get("b1")?.resolve();
    for (const id of [a1, a2, b1]) expect((await waitForRun(url, id)).status).toBe("Completed");
  });

  it("fires cron triggers with Inngest's scheduled.timer event", async () => {
    await waitFor(() => crons.length > 0 || undefined, { what: "a cron run", timeoutMs: 5000 });
    expect(crons[0]).toMatchObject({
      name: "inngest/scheduled.timer",
      data: { cron: "* * * * * *", scheduledAt: expect.stringMatching(/Z$/) },
    });
  });
});

describe("sync-time refusals and protocol corners", () => {
  let database: TestDatabase;
  let executor: Executor;
  let url = "";

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 2 });
    executor = await startExecutor({ databaseUrl: database.url, port: 0, retryBaseDelayMs: 20, logger: "silent" });
    url = executor.url;
  });

  afterAll(async () => {
    await executor?.stop({ timeoutMs: 1000 });
    await database?.destroy();
  });

  const register = (functions: unknown[], appUrl = "http://127.0.0.1:9/api/inngest") =>
    fetch(`${url}/fn/register`, {
      method: "POST",
      body: JSON.stringify({ appName: "refused", url: appUrl, functions }),
    });
  const fn = (id: string, extra: Record<string, unknown>, stepUrl = "http://127.0.0.1:9/api/inngest") => ({
    id,
    name: id,
    triggers: [{ event: "x/y" }],
    steps: { step: { id: "step", name: "step", runtime: { type: "http", url: `${stepUrl}?fnId=${id}&stepId=step` } } },
    ...extra,
  });

  it("refuses flow control it does not implement, naming the function and the feature", async () => {
    const res = await register([fn("a-ok", {}), fn("a-limited", { rateLimit: { limit: 1, period: "1m" } })]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(/function "a-limited" uses rateLimit, which is not supported/);
    for (const [key, label] of [
      ["debounce", "debounce"],
      ["batchEvents", "batchEvents"],
      ["cancel", "cancelOn"],
      ["singleton", "singleton"],
      ["priority", "priority"],
      ["timeouts", "timeouts"],
    ] as const) {
      const r = await register([fn("a-x", { [key]: { limit: 1, period: "1m", event: "e", timeout: "1h" } })]);
      expect(await r.json()).toMatchObject({ error: expect.stringContaining(`uses ${label}`) });
    }
    const expr = await register([fn("a-expr", { idempotency: "event.data.items.map(x, x.id)" })]);
    expect(await expr.json()).toMatchObject({ error: expect.stringContaining('idempotency key "event.data.items') });
    // Nothing of a refused app is stored.
    const fns = await getJson<{ data: unknown[] }>(`${url}/v1/functions`);
    expect(fns.data).toEqual([]);
  });

  it("caps retries at Inngest's maximum of 20", async () => {
    const step = {
      step: {
        id: "step",
        name: "step",
        runtime: { type: "http", url: "http://127.0.0.1:9/x" },
        retries: { attempts: 50 },
      },
    };
    expect((await register([{ ...fn("a-many", {}), steps: step }])).status).toBe(200);
    const fns = await getJson<{ data: Array<{ slug: string; max_attempts: number }> }>(`${url}/v1/functions`);
    expect(fns.data.find((f) => f.slug === "a-many")?.max_attempts).toBe(21);
  });

  it("retries a 400 without x-inngest-no-retry, and a 400 with x-inngest-no-retry: false", async () => {
    // A stand-in app answering like an SDK would, so the status and headers are ours to choose.
    const calls: number[] = [];
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        calls.push(Date.now());
        if (calls.length === 1) res.writeHead(400, { "content-type": "application/json" }).end('{"message":"bad"}');
        else if (calls.length === 2)
          res.writeHead(400, { "content-type": "application/json", "x-inngest-no-retry": "false" }).end("{}");
        else
          res
            .writeHead(200, { "content-type": "application/json", "x-inngest-sdk": "inngest-js:v4.24.0" })
            .end('"fine"');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;
    try {
      const res = await fetch(`${url}/fn/register`, {
        method: "POST",
        body: JSON.stringify({
          appName: "stand-in",
          url: appUrl,
          functions: [{ ...fn("stand-in-x", {}, appUrl), triggers: [{ event: "s/x" }] }],
        }),
      });
      expect(res.status).toBe(200);
      const sent = await fetch(`${url}/e/key`, { method: "POST", body: JSON.stringify({ name: "s/x", data: {} }) });
      const { ids } = (await sent.json()) as { ids: string[] };
      const run = await waitForRun(url, ids[0] ?? "");
      expect(run).toMatchObject({ status: "Completed", output: "fine" });
      expect(calls).toHaveLength(3);
    } finally {
      server.close();
    }
  });

  it("refuses events in Inngest's own namespace", async () => {
    const res = await fetch(`${url}/e/key`, {
      method: "POST",
      body: JSON.stringify({ name: "inngest/function.failed", data: {} }),
    });
    expect(res.status).toBe(400);
  });
});
