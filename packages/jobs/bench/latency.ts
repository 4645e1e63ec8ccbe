// Time from commit (ProfileChange.createdAt) to both deliveries sent (email + one push),
// over N profile updates through the typed client, the outbox relay and the embedded executor.
//   pnpm --filter @acme/jobs bench:latency [-- --updates 100 --interval-ms 200]
import { parseArgs } from "node:util";
import { startHarness, waitFor } from "../test/harness";

const { values } = parseArgs({
  options: { updates: { type: "string", default: "100" }, "interval-ms": { type: "string", default: "200" } },
});
const updates = Number(values.updates);
const intervalMs = Number(values["interval-ms"]);

const h = await startHarness({ retryBaseDelayMs: 1000 });
try {
  const { userId, api } = await h.signUp("bench@example.com", "bench_user");
  const device = h.push.createSubscription({ applicationServerKey: h.vapidPublicKey });
  await api.push.subscribe.mutate(device.subscription);

  for (let i = 0; i < updates; i += 1) {
    await api.user.update.mutate({ username: `bench_${i}` });
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const changes = await h.database.db.profileChange.findMany({
    where: { userId },
    select: { id: true, createdAt: true },
  });
  await waitFor(
    async () => (await h.database.db.delivery.count({ where: { userId, status: "sent" } })) === updates * 2,
    { timeoutMs: 120_000, what: "all deliveries sent" },
  );
  const deliveries = await h.database.db.delivery.findMany({
    where: { userId },
    select: { profileChangeId: true, sentAt: true },
  });
  const latencies = changes
    .map((change) => {
      const sent = deliveries.filter((d) => d.profileChangeId === change.id).map((d) => d.sentAt!.getTime());
      return Math.max(...sent) - change.createdAt.getTime();
    })
    .sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  console.log(
    JSON.stringify({
      database: process.env.TEST_DATABASE_URL ? "postgresql server" : "embedded PGlite",
      updates: latencies.length,
      intervalMs,
      medianMs: pick(0.5),
      p95Ms: pick(0.95),
      worstMs: latencies.at(-1),
      emails: h.mailbox.messages().length,
      pushes: h.push.received(device.id).length,
    }),
  );
} finally {
  await h.stop();
}
