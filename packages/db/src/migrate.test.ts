import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, listMigrations } from "./migrate";
import { seedDemoUsers } from "./seed";
import { createTestDatabase, type TestDatabase } from "./testing";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.destroy();
});

describe("migrations", () => {
  it("records every migration the way prisma migrate deploy does", async () => {
    const rows = await database.db.$queryRaw<{ migration_name: string; checksum: string }[]>`
      SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`;
    expect(rows).toEqual(listMigrations().map(({ name, checksum }) => ({ migration_name: name, checksum })));
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
