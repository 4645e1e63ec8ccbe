// How fast the admin delivery history answers with a million deliveries.
//   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres pnpm --filter @acme/api bench:admin-history
// Seeds 20k users, 500k changes and 1M deliveries into a scratch database, then times
// admin.deliveries.list (first page, deep page, each filter, each kind of search), the summary
// with its 24-hour chart, and the "retry all" preview. Deliveries are BENCH_INTERVAL_S apart
// (default 1 s, so 86,400 fall in the last day; 0.0864 puts all of them there).
import { performance } from "node:perf_hooks";
import { createTestDatabase } from "@acme/db/testing";
import { callerFor, createUser } from "../src/test-utils";

const ROWS = Number(process.env.BENCH_DELIVERIES ?? 1_000_000);
const INTERVAL_S = Number(process.env.BENCH_INTERVAL_S ?? 1);
const database = await createTestDatabase({ maxConnections: 2 });
try {
  const db = database.db;
  const seedStart = performance.now();
  await db.$executeRawUnsafe(`
    INSERT INTO "User" (id, email, name, username, "usernameNormalized", "updatedAt")
    SELECT 'u' || g, 'person' || g || '@example.com', 'person_' || g, 'person_' || g, 'person_' || g, now()
    FROM generate_series(1, 20000) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ProfileChange" (id, "userId", "actorId", "changedFields", changes, "createdAt")
    SELECT 'c' || g, 'u' || (1 + g % 20000), 'u' || (1 + g % 20000), ARRAY['username'], '{}'::jsonb,
           now() - (${ROWS} - g * 2) * ${INTERVAL_S} * interval '1 second'
    FROM generate_series(1, ${ROWS / 2}) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO "Delivery" (id, channel, status, target, "userId", "profileChangeId", "eventId", attempts, "createdAt", "updatedAt")
    SELECT 'd' || g,
           (CASE WHEN g % 2 = 0 THEN 'email' ELSE 'push' END)::"DeliveryChannel",
           (CASE WHEN g % 100 = 0 THEN 'failed' WHEN g % 250 = 0 THEN 'expired' ELSE 'sent' END)::"DeliveryStatus",
           CASE WHEN g % 2 = 0 THEN 'person' || (1 + (g / 2) % 20000) || '@example.com' ELSE 'https://push.example/' || g END,
           'u' || (1 + ((g + 1) / 2) % 20000), 'c' || ((g + 1) / 2), 'e' || ((g + 1) / 2), 1,
           now() - (${ROWS} - g) * ${INTERVAL_S} * interval '1 second', now()
    FROM generate_series(1, ${ROWS}) g`);
  await db.$executeRawUnsafe(`ANALYZE`);
  console.log(`seeded ${ROWS} deliveries in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const admin = await createUser(db, { role: "admin" });
  const { caller } = callerFor(db, admin);
  type ListInput = Parameters<typeof caller.admin.deliveries.list>[0];

  async function measure(label: string, run: () => Promise<string>) {
    const samples: number[] = [];
    let note = "";
    for (let i = 0; i < 7; i += 1) {
      const start = performance.now();
      note = await run();
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    console.log(
      `${label.padEnd(34)} median ${samples[3]!.toFixed(1).padStart(7)} ms   worst ${samples[6]!.toFixed(1).padStart(7)} ms   (${note})`,
    );
  }
  const time = (label: string, input: ListInput) =>
    measure(label, async () => `${(await caller.admin.deliveries.list(input)).items.length} rows`);

  const first = await caller.admin.deliveries.list({ limit: 25 });
  await time("first page", { limit: 25 });
  const deep = await db.delivery.findFirstOrThrow({ where: { id: `d${Math.floor(ROWS / 10)}` } });
  await time("page from a cursor 900k rows deep", { limit: 25, cursor: { createdAt: deep.createdAt, id: deep.id } });
  await time("status = failed", { limit: 25, status: "failed" });
  await time("status = expired, channel = push", { limit: 25, status: "expired", channel: "push" });
  await time("last hour", { limit: 25, from: new Date(Date.now() - 3_600_000) });
  await time("search: email", { limit: 25, search: "person12345@example.com" });
  await time("search: username part", { limit: 25, search: "person_1234" });
  await time("search: change id", { limit: 25, search: "c250000" });
  await time("search: event id", { limit: 25, search: "e250000" });
  await time("search: no match", { limit: 25, search: "nobody-at-all" });
  void first;
  await measure("summary + 24-hour chart", async () => {
    const summary = await caller.admin.summary();
    return `${summary.lastDay.total} in the last day, ${summary.hourly.length} hours charted`;
  });
  await measure("retry-all preview (failed)", async () => {
    const preview = await caller.admin.deliveries.retryPreview({});
    return `${preview.matching}${preview.matchingCapped ? "+" : ""} match, ${preview.batch} per click`;
  });
} finally {
  await database.destroy();
}
