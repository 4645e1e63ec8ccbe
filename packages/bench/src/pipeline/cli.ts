// `pnpm bench:pipeline`: profile changes → email + web push, on the production stack (outbox,
// embedded executor, Inngest SDK) vs a BullMQ queue on Redis with a worker sending the same
// email and push through the same SDKs to the same local services.
//   pnpm bench:pipeline [--users 100] [--burst 1000] [--burst-connections 20] [--rate 50]
//                       [--steady 30] [--rounds 2] [--worker-concurrency 10]
//                       [--mailbox-rate-limit 1000] [--pool 5] [--timeout 600] [--profile]
// Environment: BENCH_DATABASE_URL, BENCH_PORT_BASE (default 4720), REDIS_URL (default 127.0.0.1:6379).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createBenchDatabase, seedUsers } from "../lib/database";
import { runLoad, updateRequests, type LoadResult } from "../lib/load";
import { monotonicUs, PgBackends, redisGroup, sleep, waitForQuiet, waitUntil } from "../lib/phases";
import { UsageSampler, type ProcessGroup } from "../lib/procfs";
import { ensureWebBuild, newSecrets, startApp, startBaseline, startMailbox, startPushService } from "../lib/stack";
import { startProfiling, type Profiling } from "../profile/session";
import { appStageTimes, deliveryFigures, phaseChanges, sentDeliveries } from "./measure";
import { printPipelineReport, type PipelinePhase } from "./report";
import { clearMailbox, readArrivals, registerDevices } from "./services";

const { values: args } = parseArgs({
  options: {
    users: { type: "string", default: "100" },
    burst: { type: "string", default: "1000" },
    "burst-connections": { type: "string", default: "20" },
    rate: { type: "string", default: "50" },
    steady: { type: "string", default: "30" },
    rounds: { type: "string", default: "2" },
    "worker-concurrency": { type: "string", default: "10" },
    "mailbox-rate-limit": { type: "string", default: "1000" },
    pool: { type: "string", default: "5" },
    timeout: { type: "string", default: "600" },
    profile: { type: "boolean", default: false },
    json: { type: "string" },
  },
});
const portBase = Number(process.env.BENCH_PORT_BASE ?? 4720);
const ports = {
  app: portBase,
  executor: portBase + 1,
  mailbox: portBase + 2,
  push: portBase + 3,
  baseline: portBase + 4,
  pg: portBase + 5,
  worker: portBase + 6,
};
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const timeoutMs = Number(args.timeout) * 1000;
const runDir = mkdtempSync(path.join(tmpdir(), "bench-pipeline-"));
const logDir = path.join(runDir, "logs");
mkdirSync(logDir);
const log = (message: string) => console.log(`[bench:pipeline] ${message}`);
const stops: (() => Promise<void>)[] = [];

type Scenario =
  { kind: "burst"; updates: number; connections: number } | { kind: "steady"; rate: number; seconds: number };

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
  const database = await createBenchDatabase(serverUrl, "bench_pipeline");
  stops.push(() => database.drop());
  const secrets = newSecrets();
  const users = await seedUsers(database.url, Number(args.users), secrets.authSecret);

  const mailbox = await startMailbox({
    port: ports.mailbox,
    apiKey: secrets.resendApiKey,
    rateLimitPerSecond: Number(args["mailbox-rate-limit"]),
    logDir,
    env: process.env,
  });
  stops.push(() => mailbox.process.stop());
  const push = await startPushService({ port: ports.push, runDir, logDir, env: process.env });
  stops.push(() => push.process.stop());
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
    pushCertFile: push.certFile,
    pushOrigin: push.origin,
    poolSize: Number(args.pool),
    ...(profiling && { cpuProfileEnv: profiling.childEnv }),
  });
  stops.push(() => app.devstack.stop());
  const baseline = await startBaseline({
    port: ports.baseline,
    logDir,
    databaseUrl: profiling ? profiling.baselineUrl(database.url) : database.url,
    secrets,
    env: process.env,
    poolSize: Number(args.pool),
    queue: {
      redisUrl,
      mailboxUrl: mailbox.url,
      concurrency: Number(args["worker-concurrency"]),
      pushCertFile: push.certFile,
      appUrl: app.url,
    },
    ...(profiling && { cpuProfileEnv: profiling.childEnv }),
  });
  stops.push(() => baseline.process.stop());

  await registerDevices({
    appUrl: app.url,
    pushOrigin: push.origin,
    certFile: push.certFile,
    vapidPublicKey: secrets.vapidPublicKey,
    users,
  });
  log(`${users.length} users, one push device each (registered through push.subscribe); database ${database.name}`);

  const postgres = new PgBackends(serverUrl, database.name);
  const baselineGroup: ProcessGroup = { name: "baseline", pids: () => [baseline.process.pid] };
  const groups: ProcessGroup[] = [
    app.appGroup,
    app.workerGroup,
    app.executorGroup,
    baselineGroup,
    { name: "mailbox", pids: () => [mailbox.process.pid] },
    { name: "push service", pids: () => [push.process.pid] },
    postgres,
    redisGroup(redisUrl),
  ];
  const systems = [
    { name: "app", url: app.url, letter: "a" },
    { name: "baseline", url: baseline.url, letter: "b" },
  ] as const;

  let phaseNo = 0;
  const runPhase = async (system: (typeof systems)[number], scenario: Scenario, round: number, measured = true) => {
    phaseNo += 1;
    const tag = `${system.letter}${phaseNo}p`;
    const nextRequest = updateRequests(users, tag);
    await postgres.refresh();
    if (measured) await profiling?.resetStatements();
    const sampler = new UsageSampler(groups);
    sampler.start();
    const windowStart = monotonicUs();
    const load: LoadResult =
      scenario.kind === "burst"
        ? await runLoad({ url: system.url, connections: scenario.connections, amount: scenario.updates, nextRequest })
        : await runLoad({
            url: system.url,
            // One request per connection per second: the offered rate holds while answers take up to a second.
            connections: scenario.rate,
            overallRate: scenario.rate,
            durationSec: scenario.seconds,
            nextRequest,
          });
    await postgres.refresh();
    // Done when every delivery is sent; given up at the timeout or after a minute without progress.
    // Changes are counted on each look: a request the load tool gave up on at the end may commit later.
    let progress = { sent: -1, at: Date.now() };
    const drained = await waitUntil(
      async () => {
        const expected = (await phaseChanges(database.url, tag)).length * 2;
        const sent = await sentDeliveries(database.url, tag);
        if (sent !== progress.sent) progress = { sent, at: Date.now() };
        if (Date.now() - progress.at > 60_000)
          throw new Error(`${system.name}: no delivery for 60 s (${sent}/${expected} sent)`);
        return sent >= expected;
      },
      timeoutMs,
      500,
    ).catch((error: unknown) => {
      log(error instanceof Error ? error.message : String(error));
      return false;
    });
    const windowEnd = monotonicUs();
    await postgres.refresh();
    const usage = sampler.stop();
    const changes = await phaseChanges(database.url, tag);
    if (measured) await profiling?.collectStatements(database.name, system.name, changes.length);
    const arrivals = await readArrivals(mailbox.url, push.origin, push.certFile);
    await clearMailbox(mailbox.url);
    const phase: PipelinePhase = {
      system: system.name,
      scenario: scenario.kind,
      round,
      load,
      usage,
      drained,
      figures: deliveryFigures(changes, arrivals),
      stages: system.name === "app" ? await appStageTimes(database.url, tag) : [],
      window: [windowStart, windowEnd],
      loadAvg: loadavg()[0]!,
    };
    await waitForQuiet([app.appGroup, app.workerGroup, app.executorGroup, baselineGroup], 30_000);
    return phase;
  };

  // Warm both systems up (JIT, connection pools) before anything is measured.
  for (const system of systems) await runPhase(system, { kind: "burst", updates: 100, connections: 10 }, -1, false);
  log("warmed up (100 updates through each system)");

  const scenarios: Scenario[] = [
    { kind: "burst", updates: Number(args.burst), connections: Number(args["burst-connections"]) },
    { kind: "steady", rate: Number(args.rate), seconds: Number(args.steady) },
  ];
  const phases: PipelinePhase[] = [];
  for (const scenario of scenarios) {
    for (let round = 0; round < Number(args.rounds); round += 1) {
      const order = round % 2 === 0 ? systems : [...systems].reverse();
      for (const system of order) {
        const phase = await runPhase(system, scenario, round);
        phases.push(phase);
        const f = phase.figures;
        log(
          `${system.name.padEnd(8)} ${scenario.kind} round ${round + 1}: ${f.complete}/${f.changes} changes fully delivered, ` +
            `${f.deliveriesPerSec.toFixed(0)} deliveries/s, commit → both delivered p50 ${f.latency.p50} ms, p99 ${f.latency.p99} ms ` +
            `(load average ${phase.loadAvg.toFixed(1)})`,
        );
        await sleep(1000);
      }
    }
  }

  printPipelineReport({
    phases,
    users: users.length,
    workerConcurrency: Number(args["worker-concurrency"]),
    mailboxRateLimit: mailbox.rateLimit,
  });

  if (profiling) {
    log("stopping the processes to collect their CPU profiles…");
    await baseline.process.stop();
    await app.devstack.stop();
    const sumChanges = (system: string) =>
      phases.filter((p) => p.system === system).reduce((s, p) => s + p.figures.changes, 0);
    profiling.printSummary({
      windows: {
        app: phases.filter((p) => p.system === "app").map((p) => p.window),
        baseline: phases.filter((p) => p.system === "baseline").map((p) => p.window),
      },
      units: { app: sumChanges("app"), baseline: sumChanges("baseline") },
      unit: "notified change",
    });
  }
  const jsonFile = args.json ?? path.join(runDir, "results.json");
  writeFileSync(jsonFile, JSON.stringify({ args, phases }, null, 2));
  log(`figures as JSON: ${jsonFile}; logs in ${logDir}`);
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
  console.error("[bench:pipeline] failed:", error);
  process.exitCode = 1;
} finally {
  await stopAll();
}
