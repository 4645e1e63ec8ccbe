import { afterAll, beforeAll, expect, it } from "vitest";
import { createPrismaClient } from "./client";
import { createTestDatabase, type TestDatabase } from "./testing";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 1 });
});
afterAll(async () => {
  await database.destroy();
});

it("writes now() as UTC whatever the database's TimeZone, so Prisma reads the times back right", async () => {
  const [{ name } = { name: "" }] = await database.db.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`;
  // UTC+14: a local time read back as if it were UTC would be 14 hours ahead.
  await database.db.$executeRawUnsafe(`ALTER DATABASE "${name}" SET "TimeZone" TO 'Pacific/Kiritimati'`);
  const db = createPrismaClient({ connectionString: database.url, maxConnections: 1 });
  try {
    // A column default and a raw now(), as the relay, the worker and the API write them.
    await db.$executeRaw`INSERT INTO "OutboxEvent" (id, name, payload, "dispatchedAt") VALUES ('tz', 'test', '{}', now())`;
    const row = await db.outboxEvent.findUniqueOrThrow({ where: { id: "tz" } });
    for (const at of [row.createdAt, row.dispatchedAt!])
      expect(Math.abs(at.getTime() - Date.now())).toBeLessThan(60_000);
  } finally {
    await db.$disconnect();
    await database.db.$executeRawUnsafe(`ALTER DATABASE "${name}" RESET "TimeZone"`);
  }
});
