// `pnpm test:chaos`: the stack on the machine's PostgreSQL, killed with SIGKILL at random moments while
// users keep changing their profiles and the email and push providers fail 30 % of the time (before
// and after accepting). Afterwards it counts, per committed change, the emails and pushes that reached
// the providers and the state of every delivery, prints lost / duplicate / stuck, and exits non-zero
// on any lost or stuck notification, any duplicate email, or any acknowledged update that was lost.
import { existsSync, mkdtempSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { LOCAL_SENDER_DOMAIN, startMailbox } from "@acme/mailbox";
import { loadOrCreateCertificate, startPushService } from "@acme/push-service";
import { startFaultProxy } from "./fault-proxy";
import { reconcile } from "./report";
import { Stack, waitUntilServing } from "./stack";
import { signUp, updateProfile, type ChaosUser, type UpdateOutcome } from "./users";

const num = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
};
const settings = {
  durationMs: num("CHAOS_DURATION_S", 120) * 1000,
  drainMs: num("CHAOS_DRAIN_S", 300) * 1000,
  users: num("CHAOS_USERS", 6),
  devices: num("CHAOS_DEVICES", 2),
  faultRate: num("CHAOS_FAULT_RATE", 0.3),
  afterShare: num("CHAOS_AFTER_ACCEPT_SHARE", 0.33),
  killMinMs: num("CHAOS_KILL_MIN_S", 3) * 1000,
  killMaxMs: num("CHAOS_KILL_MAX_S", 7) * 1000,
  updateEveryMs: num("CHAOS_UPDATE_INTERVAL_MS", 500),
  retryDelayMs: num("CHAOS_RETRY_DELAY_MS", 250),
  databaseUrl: process.env.CHAOS_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
};

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const runDir = mkdtempSync(path.join(tmpdir(), "profile-notify-chaos-"));
const logFile = path.join(runDir, "stack.log");
const say = (message: string) => console.log(`[chaos] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

if (!existsSync(path.join(repoRoot, "apps/web/.next/BUILD_ID"))) {
  say("building the app (next build)…");
  const built = spawnSync("pnpm", ["--filter", "@acme/web", "build"], { cwd: repoRoot, stdio: "inherit" });
  if (built.status !== 0) process.exit(1);
}

// A fresh database on the server.
const dbName = `chaos_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: settings.databaseUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
await admin.end();
const dbUrl = new URL(settings.databaseUrl);
dbUrl.pathname = `/${dbName}`;
const db = new pg.Pool({ connectionString: dbUrl.toString(), max: 2 });

// The providers (never killed) and the faults in front of them.
const mailboxKey = "re_local_chaos";
// Resend's rules, with a high-volume plan's rate: the email pace is not what this run is about.
const mailbox = await startMailbox({ port: 0, apiKey: mailboxKey, rateLimit: 1_000 });
const pushService = await startPushService({ port: 0 });
const plan = { rate: settings.faultRate, afterShare: settings.afterShare };
const mailboxProxy = await startFaultProxy({ upstream: mailbox.url, plan });
const proxyTls = await loadOrCreateCertificate(["127.0.0.1"], path.join(runDir, "proxy-cert"));
const pushProxy = await startFaultProxy({ upstream: pushService.origin, plan, tls: proxyTls });

const port = await freePort();
const appUrl = `http://127.0.0.1:${port}`;
const stack = new Stack({
  repoRoot,
  onOutput: (chunk) => appendFileSync(logFile, chunk),
  env: {
    ...process.env,
    PORT: String(port),
    APP_URL: appUrl,
    DATABASE_URL: dbUrl.toString(),
    EXECUTOR_PORT: String(await freePort()),
    WORKER_PORT: String(await freePort()),
    EXECUTOR_RETRY_DELAY_MS: String(settings.retryDelayMs),
    RESEND_API_KEY: mailboxKey,
    RESEND_BASE_URL: mailboxProxy.url,
    EMAIL_RATE_PER_SECOND: "100",
    EMAIL_FROM: `Profile Notify <notifications@${LOCAL_SENDER_DOMAIN}>`,
    // A contact Apple's push service accepts (the local push service refuses placeholders as it does).
    VAPID_SUBJECT: "mailto:ops@acme.dev",
    NODE_EXTRA_CA_CERTS: path.join(runDir, "proxy-cert", "cert.pem"),
    // Pushes go to the fault proxy in front of the local push service; the per-user limits stay out of the way.
    PUSH_LOCAL_ORIGINS: new URL(pushProxy.url).origin,
    RATE_LIMIT_USER_UPDATE: "1000000",
    RATE_LIMIT_PUSH_SUBSCRIBE: "1000000",
    DEVSTACK_DATA_DIR: path.join(runDir, "data"),
    SEED_DEMO_USERS: "off",
    OUTBOX_SWEEP_INTERVAL_MS: "1000",
    BETTER_AUTH_SECRET: "chaos-test-secret-chaos-test-secret-0123",
  },
});

let exitCode = 1;
try {
  say(`stack log: ${logFile}`);
  stack.start();
  await waitUntilServing(`${appUrl}/api/auth/ok`, 180_000);

  // Users and their devices, registered through the API with endpoints behind the fault proxy.
  const users: ChaosUser[] = [];
  const devicesByUser = new Map<string, string[]>();
  const publicKey = (await (await fetch(`${appUrl}/api/trpc/push.publicKey`)).json()) as {
    result: { data: { json: { publicKey: string } } };
  };
  for (let i = 0; i < settings.users; i += 1) {
    const user = await signUp(appUrl, `chaos${i}@example.com`, `chaos_user_${i}`);
    const devices: string[] = [];
    for (let d = 0; d < settings.devices; d += 1) {
      const created = pushService.createSubscription({ applicationServerKey: publicKey.result.data.json.publicKey });
      const endpoint = new URL(created.subscription.endpoint);
      const proxied = new URL(endpoint.pathname + endpoint.search, pushProxy.url).toString();
      await user.api.push.subscribe.mutate({ ...created.subscription, endpoint: proxied });
      devices.push(created.id);
    }
    users.push(user);
    devicesByUser.set(user.userId, devices);
  }
  say(
    `${users.length} users with ${settings.devices} devices each; faults ${settings.faultRate * 100} % (${Math.round(settings.afterShare * 100)} % of them after accept); kills every ${settings.killMinMs / 1000}–${settings.killMaxMs / 1000} s for ${settings.durationMs / 1000} s`,
  );

  // Load and kills.
  const outcomes = new Map<string, Record<UpdateOutcome, number>>();
  const acknowledged = new Map<string, number>();
  const loadUntil = Date.now() + settings.durationMs;
  const load = users.map(async (user, index) => {
    const counts = { acknowledged: 0, refused: 0, unknown: 0 };
    outcomes.set(user.userId, counts);
    for (let n = 0; Date.now() < loadUntil; n += 1) {
      const input =
        n % 2 === 0
          ? { username: `chaos_${index}_${n}` }
          : { phoneNumber: `+1415555${String(1000 + (n % 9000)).padStart(4, "0")}` };
      const outcome = await updateProfile(user, input);
      counts[outcome] += 1;
      if (outcome === "acknowledged") acknowledged.set(user.userId, (acknowledged.get(user.userId) ?? 0) + 1);
      await sleep(between(settings.updateEveryMs * 0.5, settings.updateEveryMs * 1.5));
    }
  });
  const killer = (async () => {
    while (Date.now() < loadUntil) {
      await sleep(between(settings.killMinMs, settings.killMaxMs));
      if (Date.now() >= loadUntil) break;
      stack.kill();
      await sleep(between(300, 1500));
      stack.start();
    }
  })();
  await Promise.all([...load, killer]);
  say(
    `load done: ${stack.kills} kills; waiting for the stack and for every delivery to settle (up to ${settings.drainMs / 1000} s)`,
  );
  await waitUntilServing(`${appUrl}/api/auth/ok`, 180_000);

  // Quiescence: every change planned, nothing queued, the outbox drained — three polls in a row.
  const userIds = users.map((u) => u.userId);
  const drainUntil = Date.now() + settings.drainMs;
  let quiet = 0;
  while (Date.now() < drainUntil && quiet < 3) {
    const { rows } = await db.query<{ unplanned: number; queued: number; undispatched: number }>(
      `SELECT
         (SELECT count(*)::int FROM "ProfileChange" c WHERE c."userId" = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d."profileChangeId" = c.id)) AS unplanned,
         (SELECT count(*)::int FROM "Delivery" WHERE "userId" = ANY($1) AND status = 'queued') AS queued,
         (SELECT count(*)::int FROM "OutboxEvent" WHERE "dispatchedAt" IS NULL) AS undispatched`,
      [userIds],
    );
    const state = rows[0]!;
    quiet = state.unplanned + state.queued + state.undispatched === 0 ? quiet + 1 : 0;
    await sleep(1_000);
  }

  const changes = (
    await db.query<{ id: string; userId: string }>(
      `SELECT id, "userId" FROM "ProfileChange" WHERE "userId" = ANY($1) AND kind = 'profile_updated'`,
      [userIds],
    )
  ).rows;
  const { unplanned: unplannedNotices } = (
    await db.query<{ unplanned: number }>(
      `SELECT count(*)::int AS unplanned FROM "ProfileChange" c WHERE c."userId" = ANY($1) AND c.kind <> 'profile_updated'
         AND NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d."profileChangeId" = c.id)`,
      [userIds],
    )
  ).rows[0]!;
  const deliveries = (
    await db.query<{ profileChangeId: string; channel: "email" | "push"; status: string }>(
      `SELECT "profileChangeId", channel::text AS channel, status::text AS status FROM "Delivery" WHERE "userId" = ANY($1)`,
      [userIds],
    )
  ).rows;
  const report = reconcile({
    changes,
    unplannedNotices,
    devicesByUser,
    emails: mailbox.messages().map((m) => ({ id: m.id, idempotencyKey: m.idempotencyKey })),
    pushes: pushService.received().map((p) => ({
      subscriptionId: p.subscriptionId,
      changeId: (p.json as { changeId?: string } | null)?.changeId ?? null,
    })),
    deliveries,
    acknowledged,
  });
  const unknown = [...outcomes.values()].reduce((sum, o) => sum + o.unknown, 0);
  console.log(
    [
      "",
      `changes committed        ${report.committed} (acknowledged ${report.acknowledged}, unanswered requests ${unknown})`,
      `kills (SIGKILL)          ${stack.kills}`,
      `provider faults          mailbox ${mailboxProxy.counts.before} before / ${mailboxProxy.counts.after} after accept; push ${pushProxy.counts.before} before / ${pushProxy.counts.after} after accept`,
      `emails                   expected ${report.emails.expected}, delivered ${report.emails.delivered}, LOST ${report.emails.lost}, DUPLICATE ${report.emails.duplicates}`,
      `pushes                   expected ${report.pushes.expected}, delivered ${report.pushes.delivered}, LOST ${report.pushes.lost}; repeated receipts ${report.pushes.duplicateReceipts} (dropped on the device by the service worker)`,
      `deliveries               ${Object.entries(report.deliveries)
        .map(([status, n]) => `${status} ${n}`)
        .join(", ")}`,
      `STUCK                    ${report.stuck}`,
      `FAILED (all faults were transient) ${report.failed}`,
      `acknowledged but LOST    ${report.acknowledgedButLost}`,
      "",
      report.passed
        ? "PASS: nothing lost, nothing stuck, nothing given up, no duplicate email"
        : `FAIL (database kept: ${dbUrl.toString()})`,
    ].join("\n"),
  );
  exitCode = report.passed ? 0 : 1;
} catch (error) {
  console.error("[chaos] aborted:", error);
} finally {
  await stack.stop().catch(() => undefined);
  await Promise.all([mailboxProxy.stop(), pushProxy.stop(), mailbox.stop(), pushService.stop()]);
  await db.end();
  if (exitCode === 0) {
    const cleanup = new pg.Client({ connectionString: settings.databaseUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await cleanup.end();
  }
}
process.exit(exitCode);
