// With keys the executor checks them like self-hosted Inngest: the event key on /e/:key, and the
// SDK's `Authorization: Bearer <hashed signing key>` on /fn/register, /v0/* and /v1/*.
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Executor, startExecutor } from "./index";
import { hashSigningKey } from "./signing";
import { getFreePort, type SdkApp, startSdkApp, waitForRun } from "./test-helpers";

const noop = () => undefined;
const quiet = { info: noop, warn: noop, error: noop, debug: noop };
const signingKey = `signkey-prod-${"5e".repeat(32)}`;
const eventKey = "event-key-for-tests";

describe("an executor with keys", () => {
  let database: TestDatabase;
  let executor: Executor;
  let app: SdkApp;
  let url = "";
  let inngest: Inngest;
  const bearer = { authorization: `Bearer ${hashSigningKey(signingKey)}` };

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 2 });
    executor = await startExecutor({
      databaseUrl: database.url,
      port: 0,
      signingKey,
      eventKey,
      retryBaseDelayMs: 20,
      logger: "silent",
    });
    url = executor.url;
    // The SDK in cloud mode against the executor, as `pnpm start` runs it.
    const client = new Inngest({ id: "keyed-app", isDev: false, baseUrl: url, signingKey, eventKey, logger: quiet });
    inngest = client;
    const hello = client.createFunction({ id: "hello", triggers: { event: "k/hello" } }, async ({ step }) =>
      step.run("greet", () => "hi"),
    );
    app = await startSdkApp(client, [hello]);
  });

  afterAll(async () => {
    await executor?.stop({ timeoutMs: 1000 });
    await app?.close();
    await database?.destroy();
  });

  it("accepts the SDK's own registration, events and checkpoints", async () => {
    const synced = await fetch(app.url, { method: "PUT" });
    expect(synced.status).toBe(200);
    const { ids } = await inngest.send({ name: "k/hello", data: {} });
    const run = await waitForRun(url, ids[0] ?? "", 10_000, bearer);
    expect(run).toMatchObject({ status: "Completed", output: "hi" });
  });

  it("refuses events without the event key", async () => {
    const wrong = await fetch(`${url}/e/not-the-key`, { method: "POST", body: JSON.stringify({ name: "k/hello" }) });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ status: 401, error: "Event key not found" });
    const right = await fetch(`${url}/e/${eventKey}`, { method: "POST", body: JSON.stringify({ name: "k/x" }) });
    expect(right.status).toBe(200);
  });

  it("refuses a rogue app's registration", async () => {
    const rogue = {
      appName: "rogue",
      url: "http://127.0.0.1:9/api/inngest",
      functions: [
        {
          id: "rogue-listen",
          name: "listen",
          triggers: [{ event: "user/profile.updated" }],
          steps: { step: { id: "step", name: "step", runtime: { type: "http", url: "http://127.0.0.1:9/x" } } },
        },
      ],
    };
    const wrongKey = `Bearer ${hashSigningKey(`signkey-prod-${"aa".repeat(32)}`)}`;
    for (const headers of [{}, { authorization: wrongKey }] as Array<Record<string, string>>) {
      const res = await fetch(`${url}/fn/register`, { method: "POST", headers, body: JSON.stringify(rogue) });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: "Authentication failed", data: null, status: 401 });
    }
    const fns = await fetch(`${url}/v1/functions`, { headers: bearer });
    const slugs = ((await fns.json()) as { data: Array<{ slug: string }> }).data.map((f) => f.slug);
    expect(slugs).not.toContain("rogue-listen");
  });

  it("serves /v0 and /v1 only with the hashed key (or the key itself, as Inngest accepts)", async () => {
    const runId = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
    for (const path of [
      `/v1/runs/${runId}`,
      `/v1/events/${runId}/runs`,
      `/v1/functions`,
      `/v0/runs/${runId}/actions`,
    ]) {
      expect((await fetch(`${url}${path}`)).status).toBe(401);
      expect((await fetch(`${url}${path}`, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    }
    expect((await fetch(`${url}/v1/functions`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${url}/v1/functions`, { headers: { authorization: `Bearer ${signingKey}` } })).status).toBe(
      200,
    );
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it("refuses to start with a signing key Inngest could not hash", async () => {
    await expect(
      startExecutor({ databaseUrl: database.url, port: await getFreePort(), signingKey: "not hex", logger: "silent" }),
    ).rejects.toThrow(/hex/);
  });
});
