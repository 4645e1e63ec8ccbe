import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadServerConfig } from "@acme/config";
import { callerFor, createUser, useTestDatabase } from "../../../test-utils";
import { createChange, createDelivery } from "../test-helpers";

const database = useTestDatabase();

// A local server answering like Inngest's REST API v1 (its OpenAPI spec's shapes and errors),
// requiring the signing key the way Inngest Cloud and self-hosted Inngest do.
const SIGNING_KEY = "signkey-test-0123456789";
const runs = new Map<string, { run: object; jobs?: object[] }>();
const seen: { path: string; authorization?: string; env?: string }[] = [];
let inngest: Server;
let inngestUrl: string;
beforeAll(async () => {
  inngest = createServer((req, res) => {
    const path = req.url ?? "";
    seen.push({
      path,
      authorization: req.headers.authorization,
      env: req.headers["x-inngest-env"] as string | undefined,
    });
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${SIGNING_KEY}`)
      return reply(401, { error: "Unauthorized", status: 401 });
    const match = /^\/v1\/runs\/([^/]+)(\/jobs)?$/.exec(path);
    const entry = match ? runs.get(decodeURIComponent(match[1]!)) : undefined;
    if (!entry) return reply(404, { error: `Unable to load function run: ${match?.[1]}`, data: null, status: 404 });
    const metadata = { fetchedAt: new Date().toISOString(), cachedUntil: null };
    reply(200, { data: match![2] ? (entry.jobs ?? []) : entry.run, metadata });
  });
  await new Promise<void>((resolve) => inngest.listen(0, "127.0.0.1", resolve));
  inngestUrl = `http://127.0.0.1:${(inngest.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => inngest.close(() => resolve()));
});
beforeEach(() => {
  runs.clear();
  seen.length = 0;
});

async function adminCaller(env: Record<string, string>) {
  const { inngest: access } = loadServerConfig({ DATABASE_URL: database.url, ...env });
  return callerFor(database.db, await createUser(database.db, { role: "admin" }), { inngest: access }).caller;
}

const selfHosted = () => ({ INNGEST_BASE_URL: inngestUrl, INNGEST_SIGNING_KEY: SIGNING_KEY });

describe("admin.runs.get", () => {
  it("puts Inngest's view of a running run (and its next queued try) beside the tries it recorded here", async () => {
    const user = await createUser(database.db);
    const parent = await createChange(database.db, user);
    const delivery = await createDelivery(database.db, parent, { target: "dana@example.com", status: "queued" });
    await database.db.deliveryAttempt.create({
      data: {
        deliveryId: delivery.id,
        attempt: 1,
        outcome: "queued",
        runId: "01HRUNNING",
        providerStatus: 503,
        error: "Email provider answered 503",
        startedAt: new Date("2026-05-01T10:00:00.000Z"),
        createdAt: new Date("2026-05-01T10:00:00.120Z"),
      },
    });
    runs.set("01HRUNNING", {
      run: {
        run_id: "01HRUNNING",
        run_started_at: "2026-05-01T09:59:59.5Z",
        function_id: "6a0e5d6c-6f3b-4f0e-9d0a-2f1f0b7c1a11",
        function_version: 3,
        environment_id: "0b9e2d43-1c4b-4bb4-8d0e-6f9b0c7a2e55",
        event_id: "01HEVENT",
        status: "Running",
        ended_at: null,
      },
      jobs: [
        { at: "2026-05-01T10:00:45Z", position: 2, attempt: 2 },
        { at: "2026-05-01T10:00:30Z", position: 1, attempt: 1 },
      ],
    });

    const view = await (
      await adminCaller({ ...selfHosted(), INNGEST_ENV: "branch-7" })
    ).admin.runs.get({
      runId: "01HRUNNING",
    });
    expect(view).toMatchObject({
      runId: "01HRUNNING",
      source: inngestUrl,
      pageUrl: `${inngestUrl}/run?runID=01HRUNNING`,
      problem: null,
      run: {
        status: "Running",
        startedAt: new Date("2026-05-01T09:59:59.500Z"),
        endedAt: null,
        eventId: "01HEVENT",
        error: null,
        nextJob: { at: new Date("2026-05-01T10:00:30Z"), attempt: 1 },
      },
    });
    expect(view.attempts).toMatchObject([
      {
        attempt: 1,
        providerStatus: 503,
        durationMs: 120,
        delivery: { id: delivery.id, channel: "email", target: "d***@example.com" },
      },
    ]);
    expect(seen.map((s) => s.path)).toEqual(["/v1/runs/01HRUNNING", "/v1/runs/01HRUNNING/jobs"]);
    expect(seen.every((s) => s.authorization === `Bearer ${SIGNING_KEY}` && s.env === "branch-7")).toBe(true);
  });

  it("reads a failed run's error from its output, and does not ask for jobs of an ended run", async () => {
    runs.set("01HFAILED", {
      run: {
        run_id: "01HFAILED",
        run_started_at: "2026-05-01T10:00:00Z",
        ended_at: "2026-05-01T10:02:00Z",
        function_id: "f",
        function_version: 1,
        environment_id: "e",
        status: "Failed",
        output: { error: { name: "NonRetriableError", message: "1 of 2 deliveries failed" } },
      },
    });
    const view = await (await adminCaller(selfHosted())).admin.runs.get({ runId: "01HFAILED" });
    expect(view.run).toMatchObject({
      status: "Failed",
      endedAt: new Date("2026-05-01T10:02:00Z"),
      error: "1 of 2 deliveries failed",
      nextJob: null,
    });
    expect(seen.map((s) => s.path)).toEqual(["/v1/runs/01HFAILED"]);
  });

  it("says why Inngest could not be read, and still shows what was recorded here", async () => {
    const unknown = await (await adminCaller(selfHosted())).admin.runs.get({ runId: "01HNOSUCH" });
    expect(unknown).toMatchObject({ run: null, problem: `Inngest at ${inngestUrl} has no such run`, attempts: [] });

    const wrongKey = await (
      await adminCaller({ INNGEST_BASE_URL: inngestUrl, INNGEST_SIGNING_KEY: "signkey-wrong" })
    ).admin.runs.get({ runId: "01HNOSUCH" });
    expect(wrongKey.problem).toBe(`Inngest at ${inngestUrl} refused the signing key (401); check INNGEST_SIGNING_KEY`);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = await (await adminCaller({ INNGEST_DEV: `http://127.0.0.1:${port}` })).admin.runs.get({ runId: "x" });
    expect(down.problem).toBe(`Inngest at http://127.0.0.1:${port} is unreachable (ECONNREFUSED)`);

    const none = await (await adminCaller({})).admin.runs.get({ runId: "x" });
    expect(none).toMatchObject({
      run: null,
      problem: "No Inngest server is configured to read runs from",
      pageUrl: null,
    });
  });

  it("links Inngest Cloud runs to the dashboard", async () => {
    // No network call is made for the page link itself; the API read is not exercised here.
    const { inngest: access } = loadServerConfig({
      DATABASE_URL: database.url,
      INNGEST_DEV: "0",
      INNGEST_SIGNING_KEY: SIGNING_KEY,
    });
    expect(access.apiUrl).toBe("https://api.inngest.com");
    expect(access.runPageUrl).toBe("https://app.inngest.com/env/production/runs/{runId}");
  });
});
