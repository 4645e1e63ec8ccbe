// An app that is down or restarting must not cost a step its attempts: calls that never reached
// it are retried until it answers. Every function here has `retries: 0` (one attempt), so any
// spent attempt would fail the run.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { Inngest } from "inngest";
import { serve } from "inngest/node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunView } from "./api-views";
import { type Executor, startExecutor } from "./index";
import { interpret } from "./interpreter";
import { isUnreachedStatus, unreachedReason } from "./reachability";
import { type Deferred, deferred, getFreePort, getJson, waitFor, waitForRun } from "./test-helpers";

const noop = () => undefined;
const quiet = { info: noop, warn: noop, error: noop, debug: noop };

describe("telling an unreached app from a failed call", () => {
  it("classifies connection failures and gateway answers as unreached", () => {
    const fetchError = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: { code } });
    for (const code of ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "UND_ERR_SOCKET"]) {
      expect(unreachedReason(fetchError(code))).toBe(code);
    }
    expect(unreachedReason(new DOMException("timed out", "TimeoutError"))).toBeUndefined();
    expect(unreachedReason(fetchError("ERR_SOMETHING_ELSE"))).toBeUndefined();
    expect([502, 503, 504].every(isUnreachedStatus)).toBe(true);
    expect([500, 400, 429].some(isUnreachedStatus)).toBe(false);
  });

  it("defers an unreached call without spending the attempt", () => {
    const d = interpret({
      job: { attempt: 0, stepId: null },
      maxAttempts: 1,
      result: { kind: "unreached", reason: "ECONNREFUSED" },
      retryDelayMs: () => 1,
      unreachedDelayMs: 750,
      now: 0,
    });
    expect(d.next).toEqual({ type: "defer", delayMs: 750, reason: "ECONNREFUSED" });
  });
});

/** The app behind a switch: "up" serves the SDK, "reset" drops connections, "503" answers like a gateway. */
async function startSwitchableApp(
  client: Inngest.Any,
  functions: Parameters<typeof serve>[0]["functions"],
  port: number,
) {
  const handler = serve({ client, functions });
  const state = { mode: "up" as "up" | "reset" | "503", seen: [] as Array<{ mode: string; method: string }> };
  const server = http.createServer((req, res) => {
    state.seen.push({ mode: state.mode, method: req.method ?? "" });
    if (state.mode === "reset") return void req.socket.destroy();
    if (state.mode === "503") return void res.writeHead(503).end("restarting");
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe("an app that goes away", () => {
  let database: TestDatabase;
  let sql: pg.Pool;
  const executors: Executor[] = [];
  let port = 0;
  let url = "";
  let inngest: Inngest;
  let app: Awaited<ReturnType<typeof startSwitchableApp>> | undefined;
  let appPort = 0;
  const counts = new Map<string, number>();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const gates = new Map<string, Deferred>();
  const started = new Set<string>();
  let functions: Parameters<typeof serve>[0]["functions"] = [];

  const startExec = async (apps: string[] = []) => {
    const executor = await startExecutor({
      databaseUrl: database.url,
      port,
      apps,
      leaseMs: 1500,
      pollIntervalMs: 100,
      retryBaseDelayMs: 20,
      logger: "silent",
    });
    executors.push(executor);
    return executor;
  };

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 3 });
    sql = new pg.Pool({ connectionString: database.url, max: 1 });
    port = await getFreePort();
    appPort = await getFreePort();
    url = `http://127.0.0.1:${port}`;
    inngest = new Inngest({ id: "outage", isDev: true, baseUrl: url, logger: quiet });
    functions = [
      inngest.createFunction({ id: "once", retries: 0, triggers: { event: "o/once" } }, async ({ event, step }) => {
        const tag = String(event.data.tag);
        return step.run("only", () => {
          bump(`${tag}:only`);
          return tag;
        });
      }),
      inngest.createFunction({ id: "three", retries: 0, triggers: { event: "o/three" } }, async ({ event, step }) => {
        const tag = String(event.data.tag);
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
      }),
    ];
  });

  afterAll(async () => {
    for (const e of executors) await e.stop({ timeoutMs: 500 }).catch(noop);
    await app?.close();
    await sql?.end();
    await database?.destroy();
  });

  it("does not call an app before its first sync answered", async () => {
    app = await startSwitchableApp(inngest, functions, appPort);
    // Synced once before, as after a restart of the whole stack...
    const earlier = await startExec();
    await earlier.syncApp(app.url);
    await earlier.stop({ timeoutMs: 500 });
    app.state.mode = "503"; // ...and now the app is still starting.
    const executor = await startExec([app.url]);
    const sent = await fetch(`${url}/e/key`, {
      method: "POST",
      body: JSON.stringify({ name: "o/once", data: { tag: "early" } }),
    });
    expect(sent.status).toBe(200);
    await waitFor(() => (app?.state.seen.length ?? 0) >= 3 || undefined, { what: "sync attempts" });
    expect(app.state.seen.filter((r) => r.method === "POST")).toEqual([]);
    app.state.mode = "up";
    await executor.synced;
    await waitFor(() => counts.get("early:only") || undefined, { what: "the early event's run" });
    await executor.stop({ timeoutMs: 500 });
  });

  for (const mode of ["reset", "503"] as const) {
    it(`retries calls the app never answered (${mode}) without spending the only attempt`, async () => {
      const executor = await startExec();
      await executor.syncApp(app?.url ?? "");
      if (!app) throw new Error("no app");
      app.state.mode = mode;
      const before = app.state.seen.length;
      const { ids } = await inngest.send({ name: "o/once", data: { tag: mode } });
      await waitFor(() => app!.state.seen.length - before >= 3 || undefined, { what: "three unanswered calls" });
      app.state.mode = "up";
      const run = await waitForRun(url, ids[0] ?? "");
      expect(run).toMatchObject({ status: "Completed", output: mode });
      expect(counts.get(`${mode}:only`)).toBe(1);
      await executor.stop({ timeoutMs: 500 });
    });
  }

  it("resumes a run after the executor and then the app were killed, completing each step once", async () => {
    const tag = "killed";
    gates.set(tag, deferred());
    const first = await startExec();
    await first.syncApp(app?.url ?? "");
    const { ids } = await inngest.send({ name: "o/three", data: { tag } });
    await waitFor(() => started.has(tag) || undefined, { what: "step b to start" });

    // The executor dies with step "b" in flight, then the app goes down too.
    await first.kill();
    await app?.close();
    const second = await startExec();
    // Well past the lease: the resumed job meets a dead app several times.
    await new Promise((r) => setTimeout(r, 3000));
    const jobs = await sql.query<{ attempt: number }>("SELECT attempt FROM inngest_executor.jobs");
    expect(jobs.rows.map((j) => j.attempt)).toEqual([0]);

    gates.get(tag)?.resolve();
    app = await startSwitchableApp(inngest, functions, appPort);
    const run = await waitForRun(second.url, ids[0] ?? "", 20_000);
    expect(run).toMatchObject({ status: "Completed", output: "abc" });
    // The executor recorded each step's completion exactly once...
    const detail = await getJson<{ data: RunView }>(`${url}/v1/runs/${run.run_id}`);
    expect(
      detail.data.steps.map((s) => [s.name, s.status, s.history.filter((h) => h.outcome === "completed").length]),
    ).toEqual([
      ["a", "completed", 1],
      ["b", "completed", 1],
      ["c", "completed", 1],
    ]);
    // ...and ran "a" and "c" once; "b" was in flight at the kill, so at least once, at most twice.
    expect(counts.get(`${tag}:a`)).toBe(1);
    expect(counts.get(`${tag}:c`)).toBe(1);
    expect(counts.get(`${tag}:b`)).toBeGreaterThanOrEqual(1);
    expect(counts.get(`${tag}:b`)).toBeLessThanOrEqual(2);
  });
});
