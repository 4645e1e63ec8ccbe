import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "./client";
import { applyMigrations } from "./migrate";
import { seedDemoUsers } from "./seed";
import { createTestDatabase, type TestDatabase } from "./testing";

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../prisma/migrations");

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.destroy();
});

describe("migrations", () => {
  it("records every migration folder with Prisma Migrate's checksum (sha256 of migration.sql)", async () => {
    const folders = readdirSync(migrationsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders.length).toBeGreaterThanOrEqual(3);
    const expected = folders.map((name) => ({
      migration_name: name,
      checksum: createHash("sha256")
        .update(readFileSync(path.join(migrationsDir, name, "migration.sql")))
        .digest("hex"),
      finished: true,
    }));
    const rows = await database.db.$queryRaw<{ migration_name: string; checksum: string; finished: boolean }[]>`
      SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" ORDER BY migration_name`;
    expect(rows).toEqual(expected);
  });

  it("is a no-op the second time", async () => {
    expect(await applyMigrations(database.url)).toEqual([]);
  });

  it("seeds the demo users once", async () => {
    await seedDemoUsers(database.db);
    await seedDemoUsers(database.db);
    const users = await database.db.user.findMany({ orderBy: { email: "asc" }, include: { accounts: true } });
    expect(users.map((u) => [u.email, u.role, u.accounts.length])).toEqual([
      ["admin@example.com", "admin", 1],
      ["user@example.com", "user", 1],
    ]);
  });
});

describe("retry_requests data move", () => {
  it("moves admin retry requests out of the outbox and records each event's subject", async () => {
    // A database as it was before the migration, with data the old code wrote.
    const before = await createTestDatabase();
    await before.db.$disconnect();
    const sql = new pg.Client({ connectionString: before.url });
    await sql.connect();
    try {
      await sql.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
      await applyMigrations(before.url, { until: "20261128050000_outbox_payload_indexes" });
      await sql.query(`
        INSERT INTO "User" (id, email, name, username, "usernameNormalized", "updatedAt")
          VALUES ('u1', 'u1@example.test', 'u1', 'u1', 'u1', now()), ('admin1', 'a@example.test', 'a', 'a', 'a', now());
        INSERT INTO "ProfileChange" (id, "userId", "actorId", "changedFields", changes)
          VALUES ('c1', 'u1', 'u1', '{username}', '{"username":{"from":"a","to":"b"}}');
        INSERT INTO "Delivery" (id, channel, status, target, "userId", "profileChangeId", "eventId", "updatedAt")
          VALUES ('d_taken', 'email', 'failed', 'u1@example.test', 'u1', 'c1', 'e_change', now() - interval '1 hour'),
                 ('d_waiting', 'push', 'failed', 'https://push.example/x', 'u1', 'c1', 'e_change', now() - interval '1 hour');
        INSERT INTO "OutboxEvent" (id, name, payload, "createdAt") VALUES
          ('e_change', 'user/profile.updated', '{"changeId":"c1","userId":"u1","changedFields":["username"]}', now() - interval '2 hours'),
          ('e_old', 'notification/delivery.retry', '{"deliveryId":"d_taken","requestedBy":"admin1"}', now() - interval '3 hours'),
          ('e_new', 'notification/delivery.retry', '{"deliveryId":"d_waiting","requestedBy":"admin1"}', now() - interval '1 minute');`);

      expect(await applyMigrations(before.url)).toContain("20261128111030_retry_requests");

      const { rows: subjects } = await sql.query(`SELECT id, "subjectId" FROM "OutboxEvent" ORDER BY id`);
      expect(subjects).toEqual([
        { id: "e_change", subjectId: "c1" },
        { id: "e_new", subjectId: "e_new" },
        { id: "e_old", subjectId: "e_old" },
      ]);
      const db = createPrismaClient({ connectionString: before.url, maxConnections: 1 });
      try {
        const requests = await db.deliveryRetryRequest.findMany({ orderBy: { id: "asc" } });
        expect(requests.map((r) => [r.id, r.deliveryId, r.requestedById, r.takenAt !== null])).toEqual([
          // Newer than its delivery's last change: still waiting for the retry function.
          ["e_new", "d_waiting", "admin1", false],
          // Older than its delivery's last change: the retry function had taken it.
          ["e_old", "d_taken", "admin1", true],
        ]);
      } finally {
        await db.$disconnect();
      }
    } finally {
      await sql.end();
      await before.destroy();
    }
  });
});
