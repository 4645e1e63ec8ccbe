// Against the embedded PostgreSQL (PGlite behind @acme/db's socket server, whose scheduler keeps
// each client's protocol sequences and transactions together), the executor runs with a pool of
// several connections and no serialization of its own. Many runs at once must all finish, each
// step once, with no "prepared statement" or bind errors.
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@acme/db";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Executor, type Logger, startExecutor } from "./index";
import { getFreePort, type SdkApp, startSdkApp, waitForRun } from "./test-helpers";

const noop = () => undefined;

describe("on the embedded PostgreSQL server, concurrently", () => {
  let server: EmbeddedPostgres;
  let executor: Executor;
  let app: SdkApp;
  let inngest: Inngest;
  let url = "";
  const problems: string[] = [];
  const logger: Logger = {
    debug: noop,
    info: noop,
    warn: (m) => problems.push(m),
    error: (m, f) => problems.push(`${m} ${JSON.stringify(f ?? {})}`),
  };
  const counts = new Map<string, number>();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

  beforeAll(async () => {
    server = await startEmbeddedPostgres({ maxConnections: 8 });
    const port = await getFreePort();
    url = `http://127.0.0.1:${port}`;
    inngest = new Inngest({
      id: "emb",
      isDev: true,
      baseUrl: url,
      logger: { info: noop, warn: noop, error: noop, debug: noop },
    });
    const fan = inngest.createFunction({ id: "fan", triggers: { event: "emb/fan" } }, async ({ event, step }) => {
      const i = Number(event.data.i);
      const plan = await step.run("plan", () => {
        bump(`${i}:plan`);
        return [1, 2, 3];
      });
      const parts = await Promise.all(
        plan.map((n) =>
          step.run(`part-${n}`, () => {
            bump(`${i}:part-${n}`);
            return n * i;
          }),
        ),
      );
      return parts.reduce((a, b) => a + b, 0);
    });
    app = await startSdkApp(inngest, [fan]);
    executor = await startExecutor({
      databaseUrl: server.url,
      port,
      apps: [app.url],
      poolSize: 4,
      concurrency: 20,
      pollIntervalMs: 100,
      logger,
    });
    await executor.synced;
  });

  afterAll(async () => {
    await executor?.stop({ timeoutMs: 2000 });
    await app?.close();
    await server?.stop();
  });

  it("finishes 40 runs of plan + three parallel steps, each step once", async () => {
    const sends = await Promise.all(
      Array.from({ length: 40 }, (_, i) => inngest.send({ name: "emb/fan", data: { i } })),
    );
    const runs = await Promise.all(sends.map((s) => waitForRun(url, s.ids[0] ?? "", 60_000)));
    expect(runs.map((r) => r.status)).toEqual(runs.map(() => "Completed"));
    expect(runs.map((r) => r.output)).toEqual(Array.from({ length: 40 }, (_, i) => 6 * i));
    for (let i = 0; i < 40; i++) {
      for (const step of ["plan", "part-1", "part-2", "part-3"]) expect(counts.get(`${i}:${step}`)).toBe(1);
    }
    expect(problems).toEqual([]);
  }, 90_000);
});
