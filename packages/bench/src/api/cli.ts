// `pnpm bench:api`: user.update on the production app vs a bare node:http + pg server doing the
// same database work on the same database, side by side at several connection counts.
//   pnpm bench:api [--connections 1,8,32] [--duration 10] [--warmup 3] [--rounds 2] [--users 500]
//                  [--pool 5] [--pipeline on|sink] [--profile]
// --pipeline sink: the relay publishes to a stub of Inngest's event API, so no executor or
// function runs; the API path alone, relay included.
// Environment: BENCH_DATABASE_URL (a PostgreSQL server; default the machine's 127.0.0.1:5432),
// BENCH_PORT_BASE (default 4700: app, executor, mailbox, baseline, private PostgreSQL follow).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createBenchDatabase, seedUsers, withClient } from "../lib/database";
import { runLoad, updateRequests, type LoadResult } from "../lib/load";
import { monotonicUs, PgBackends, sleep, waitForQuiet, waitUntil } from "../lib/phases";
import { UsageSampler, type GroupUsage, type ProcessGroup } from "../lib/procfs";
import { ensureWebBuild, newSecrets, startApp, startBaseline, startEventSink, startMailbox } from "../lib/stack";
import { startProfiling, type Profiling } from "../profile/session";
import { printApiReport, type ApiPhase } from "./report";

const { values: args } = parseArgs({
  options: {
    connections: { type: "string", default: "1,8,32" },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    rounds: { type: "string", default: "2" },
    users: { type: "string", default: "500" },
    pool: { type: "string", default: "5" },
    pipeline: { type: "string", default: "on" },
    "mailbox-rate-limit": { type: "string", default: "1000" },
    profile: { type: "boolean", default: false },
    json: { type: "string" },
  },
});
const connectionLevels = args.connections.split(",").map(Number);
const durationSec = Number(args.duration);
const warmupSec = Number(args.warmup);
const rounds = Number(args.rounds);
const poolSize = Number(args.pool);
const pipeline = args.pipeline !== "sink";
const portBase = Number(process.env.BENCH_PORT_BASE ?? 4700);
const ports = {
  app: portBase,
  executor: portBase + 1,
  mailbox: portBase + 2,
  sink: portBase + 3,
  baseline: portBase + 4,
  pg: portBase + 5,
  worker: portBase + 6,
};

const runDir = mkdtempSync(path.join(tmpdir(), "bench-api-"));
const logDir = path.join(runDir, "logs");
mkdirSync(logDir);
const log = (message: string) => console.log(`[bench:api] ${message}`);
const stops: (() => Promise<void>)[] = [];

async function main() {
  log(`run directory ${runDir}`);
  log("building the web app if needed (turbo)…");
  await ensureWebBuild(logDir, process.env);

  const profiling: Profiling | null = args.profile ? await startProfiling(runDir, ports.pg) : null;
  if (profiling) stops.push(() => profiling.stopServer());
  const serverUrl =
    profiling?.serverUrl ??
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    "postgresql://postgres@127.0.0.1:5432/postgres";
  const database = await createBenchDatabase(serverUrl, "bench_api");
  stops.push(() => database.drop());
  const secrets = newSecrets();
  const users = await seedUsers(database.url, Number(args.users), secrets.authSecret);
  log(`database ${database.name} with ${users.length} users, one bearer session each`);

  const mailbox = await startMailbox({
    port: ports.mailbox,
    apiKey: secrets.resendApiKey,
    rateLimitPerSecond: Number(args["mailbox-rate-limit"]),
    logDir,
    env: process.env,
  });
  stops.push(() => mailbox.process.stop());
  const sink = pipeline ? null : await startEventSink(ports.sink);
  if (sink) stops.push(() => sink.stop());
  const app = await startApp({
    port: ports.app,
    executorPort: ports.executor,
    workerPort: ports.worker,
    runDir,
    logDir,
    databaseUrl: database.url,
    secrets,
    env: process.env,
    mailboxUrl: mailbox.url,
    emailRatePerSecond: Number(args["mailbox-rate-limit"]),
    poolSize,
    ...(sink && { eventSinkUrl: sink.url }),
    ...(profiling && { cpuProfileEnv: profiling.childEnv }),
  });
  stops.push(() => app.devstack.stop());
  const baseline = await startBaseline({
    port: ports.baseline,
    logDir,
    databaseUrl: profiling ? profiling.baselineUrl(database.url) : database.url,
    secrets,
    env: process.env,
    poolSize,
    ...(profiling && { cpuProfileEnv: profiling.childEnv }),
  });
  stops.push(() => baseline.process.stop());
  log(
    `app ${app.url} (pool ${poolSize}, ${pipeline ? "embedded executor" : "events to a sink, no executor"}), baseline ${baseline.url} (pool ${poolSize})`,
  );

  const postgres = new PgBackends(serverUrl, database.name);
  const baselineGroup: ProcessGroup = { name: "baseline", pids: () => [baseline.process.pid] };
  const mailboxGroup: ProcessGroup = { name: "mailbox", pids: () => [mailbox.process.pid] };
  const groups = [app.appGroup, app.workerGroup, app.executorGroup, baselineGroup, mailboxGroup, postgres];

  await sleep(2000);
  const idle = await sampleIdle(groups);

  const systems = [
    { name: "app", url: app.url, tag: "a" },
    { name: "baseline", url: baseline.url, tag: "b" },
  ] as const;
  const requestsFor = { a: updateRequests(users, "a"), b: updateRequests(users, "b") };
  const phases: ApiPhase[] = [];

  for (const connections of connectionLevels) {
    for (let round = 0; round < rounds; round += 1) {
      // Alternate which system goes first, so a slow stretch of the machine hits both.
      const order = round % 2 === 0 ? systems : [...systems].reverse();
      for (const system of order) {
        const nextRequest = requestsFor[system.tag];
        if (warmupSec > 0) await runLoad({ url: system.url, connections, durationSec: warmupSec, nextRequest });
        const before = await countChanges(database.url, system.tag);
        await postgres.refresh();
        await profiling?.resetStatements();
        const sampler = new UsageSampler(groups);
        sampler.start();
        const windowStart = monotonicUs();
        const result = await runLoad({ url: system.url, connections, durationSec, nextRequest });
        const windowEnd = monotonicUs();
        await postgres.refresh();
        const usage = sampler.stop();
        await profiling?.collectStatements(database.name, system.name, result.statuses["200"] ?? 0);
        const changes = (await countChanges(database.url, system.tag)) - before;
        const phase: ApiPhase = {
          system: system.name,
          connections,
          round,
          result,
          usage,
          changes,
          window: [windowStart, windowEnd],
          loadAvg: loadavg()[0]!,
        };
        phases.push(phase);
        log(describe(phase));
        if (system.name === "app" && pipeline) {
          const drainStart = Date.now();
          const drained = await waitUntil(() => appPipelineDrained(database.url), 300_000, 1000);
          await waitForQuiet([app.appGroup, app.workerGroup, app.executorGroup]);
          phase.drainSec = (Date.now() - drainStart) / 1000;
          if (!drained) log("  the app's notification backlog did not drain within 300 s");
        } else {
          await waitForQuiet([app.appGroup, app.workerGroup, app.executorGroup, baselineGroup], 10_000);
        }
      }
    }
  }

  const afterLoad = await sampleIdle(groups);
  printApiReport({
    phases,
    idle,
    afterLoad,
    pipeline,
    eventsToSink: sink?.received() ?? null,
    poolSize,
    users: users.length,
    durationSec,
    warmupSec,
    mailboxRateLimit: mailbox.rateLimit,
  });

  if (profiling) {
    log("stopping the processes to collect their CPU profiles…");
    await baseline.process.stop();
    await app.devstack.stop();
    profiling.printSummary({
      windows: {
        app: phases.filter((p) => p.system === "app").map((p) => p.window),
        baseline: phases.filter((p) => p.system === "baseline").map((p) => p.window),
      },
      units: {
        app: sum(phases.filter((p) => p.system === "app").map((p) => p.result.statuses["200"] ?? 0)),
        baseline: sum(phases.filter((p) => p.system === "baseline").map((p) => p.result.statuses["200"] ?? 0)),
      },
      unit: "update",
    });
  }
  const jsonFile = args.json ?? path.join(runDir, "results.json");
  writeFileSync(jsonFile, JSON.stringify({ args, phases, idle, afterLoad }, null, 2));
  log(`figures as JSON: ${jsonFile}; logs in ${logDir}`);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function describe(p: ApiPhase): string {
  const r: LoadResult = p.result;
  return `${p.system.padEnd(8)} c=${String(p.connections).padStart(2)} round ${p.round + 1}: ${r.rps.toFixed(0)} req/s, p50 ${r.latency.p50.toFixed(1)} ms, p99 ${r.latency.p99.toFixed(1)} ms, errors ${r.errors}, changes recorded ${p.changes} (machine load average ${p.loadAvg.toFixed(1)})`;
}

async function sampleIdle(groups: ProcessGroup[]): Promise<GroupUsage[]> {
  const sampler = new UsageSampler(groups);
  sampler.start();
  await sleep(2000);
  return sampler.stop();
}

/** ProfileChange rows written by one system (its usernames start with its tag). */
function countChanges(url: string, tag: string): Promise<number> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM "ProfileChange" WHERE changes->'username'->>'to' LIKE $1`,
      [`${tag}%`],
    );
    return Number(rows[0]!.n);
  });
}

/** Every change the app recorded has its email delivery settled (sent or failed). */
function appPipelineDrained(url: string): Promise<boolean> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM "ProfileChange" pc
       WHERE pc.changes->'username'->>'to' LIKE 'a%'
         AND NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d."profileChangeId" = pc.id AND d.channel = 'email' AND d.status <> 'queued')`,
    );
    return Number(rows[0]!.n) === 0;
  });
}

let stopping = false;
async function stopAll() {
  if (stopping) return;
  stopping = true;
  for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(error));
}
// Interrupted: stop what was started and drop the database before leaving.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void stopAll().then(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  console.error("[bench:api] failed:", error);
  process.exitCode = 1;
} finally {
  await stopAll();
}
