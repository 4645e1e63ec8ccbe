// What one run costs the executor: SQL statements and commits (from pg_stat_statements and
// pg_stat_database when the server has them), SDK calls and checkpoint calls, for a function
// shaped like the app's notification: one plan step, then two parallel delivery steps.
//
//   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres pnpm --filter @acme/executor bench:runs
//
// BENCH_RUNS (default 200), BENCH_FN_CHECKPOINTING=1 (the function lets the SDK checkpoint;
// the app's functions currently set `checkpointing: false`), BENCH_CONCURRENCY (executor).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Inngest } from "inngest";
import { serve } from "inngest/node";
import pg from "pg";
import { startExecutor } from "../src/index";

const base = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const runs = Number(process.env.BENCH_RUNS ?? 200);
const fnCheckpointing = process.env.BENCH_FN_CHECKPOINTING === "1";
const concurrency = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined;

async function main(): Promise<void> {
  const admin = new pg.Pool({ connectionString: base, max: 1 });
  const dbName = `exbench_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const stats = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const hasPgss = await stats
    .query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    .then(() => stats.query("SELECT 1 FROM pg_stat_statements LIMIT 1"))
    .then(() => true)
    .catch(() => false);

  // Count what the SDK sends to the executor (checkpoints, events) from this process.
  const outgoing = new Map<string, number>();
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const u = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const kind = u.pathname.startsWith("/v1/checkpoint")
      ? "checkpoint"
      : u.pathname.startsWith("/e/")
        ? "event"
        : "other";
    outgoing.set(kind, (outgoing.get(kind) ?? 0) + 1);
    return realFetch(input, init);
  };

  const executorPort = await freePort();
  const inngest = new Inngest({
    id: "bench",
    isDev: true,
    baseUrl: `http://127.0.0.1:${executorPort}`,
    logger: quietLogger,
  });
  const notify = inngest.createFunction(
    { id: "notify", retries: 5, checkpointing: fnCheckpointing, triggers: { event: "bench/changed" } },
    async ({ event, step }) => {
      const targets = await step.run("plan", () => ["email", "push"].map((c) => `${c}-${String(event.data.i)}`));
      const sent = await Promise.all(
        targets.map((t) =>
          step.run(`deliver-${t}`, async () => {
            await new Promise((r) => setTimeout(r, 5)); // a provider call
            return { t, status: "sent" };
          }),
        ),
      );
      return sent.length;
    },
  );
  let sdkCalls = 0;
  const handler = serve({ client: inngest, functions: [notify] });
  const server = http.createServer((req, res) => {
    if (req.method === "POST") sdkCalls++;
    void handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;

  const executor = await startExecutor({
    databaseUrl,
    port: executorPort,
    apps: [appUrl],
    logger: "warn",
    ...(concurrency ? { concurrency } : {}),
  });
  await executor.synced;

  // Warm up (JIT, connections), then measure.
  await sendAndWait(inngest, stats, 5, -1);
  if (hasPgss) await stats.query("SELECT pg_stat_statements_reset()");
  const before = await dbStats(stats, dbName);
  sdkCalls = 0;
  polls = 0;
  outgoing.clear();
  const started = performance.now();
  const latencies = await sendAndWait(inngest, stats, runs, 0);
  const seconds = (performance.now() - started) / 1000;
  const after = await dbStats(stats, dbName);
  const statements = hasPgss
    ? Number(
        (
          await stats.query<{ n: string }>(
            `SELECT coalesce(sum(calls), 0) AS n FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
             WHERE d.datname = $1 AND query NOT ILIKE '%pg_stat%' AND query NOT ILIKE '%FROM inngest_executor.runs WHERE status IN%'`,
            [dbName],
          )
        ).rows[0]?.n,
      )
    : NaN;

  if (hasPgss && process.env.BENCH_TOP) {
    const top = await stats.query<{ calls: string; query: string }>(
      `SELECT calls, regexp_replace(left(query, 110), '\\s+', ' ', 'g') AS query FROM pg_stat_statements s
       JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 ORDER BY calls DESC LIMIT 25`,
      [dbName],
    );
    for (const r of top.rows) console.log(`${(Number(r.calls) / runs).toFixed(2).padStart(6)}  ${r.query}`);
  }
  const per = (n: number) => (n / runs).toFixed(1);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]?.toFixed(0);
  console.log(
    JSON.stringify(
      {
        runs,
        fnCheckpointing,
        seconds: Number(seconds.toFixed(2)),
        runsPerSecond: Number((runs / seconds).toFixed(1)),
        perRun: {
          sqlStatements: hasPgss ? per(statements) : "n/a (no pg_stat_statements)",
          // Less the bench's own polling queries (each a transaction of its own).
          commits: per(after.commits - before.commits - polls - 1),
          sdkCalls: per(sdkCalls),
          checkpointCalls: per(outgoing.get("checkpoint") ?? 0),
        },
        latencyMs: { p50: pct(0.5), p95: pct(0.95), max: pct(0.999) },
      },
      null,
      2,
    ),
  );

  await executor.stop({ timeoutMs: 2000 });
  server.close();
  await stats.end();
  await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
  await admin.end();
}

/** Sends `n` events at once and waits for every run to finish; returns send → finish in ms. */
let polls = 0;

async function sendAndWait(inngest: Inngest, db: pg.Pool, n: number, offset: number): Promise<number[]> {
  const sentAt = Date.now();
  const events = Array.from({ length: n }, (_, k) => ({ name: "bench/changed", data: { i: offset * 1_000_000 + k } }));
  const { ids } = await inngest.send(events);
  for (;;) {
    polls++;
    const res = await db.query<{ done: string; latency: number[] }>(
      `SELECT count(*) FILTER (WHERE status IN ('Completed', 'Failed')) AS done,
              array_agg(EXTRACT(EPOCH FROM ended_at) * 1000) FILTER (WHERE ended_at IS NOT NULL) AS latency
       FROM inngest_executor.runs WHERE status IN ('Completed', 'Failed', 'Running', 'Queued') AND event_internal_id = ANY($1)`,
      [ids],
    );
    if (Number(res.rows[0]?.done) >= n) return (res.rows[0]?.latency ?? []).map((t) => Number(t) - sentAt);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function dbStats(db: pg.Pool, name: string): Promise<{ commits: number }> {
  await db.query("SELECT pg_stat_clear_snapshot()");
  const r = await db.query<{ c: string }>("SELECT xact_commit AS c FROM pg_stat_database WHERE datname = $1", [name]);
  return { commits: Number(r.rows[0]?.c) };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const noop = () => undefined;
const quietLogger = { info: noop, warn: noop, error: noop, debug: noop };

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
