import { hashPassword } from "better-auth/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPublishedDemoAccounts, removePublishedDemoAccounts } from "./demo-accounts";
import { seedDemoUsers } from "./seed";
import { createTestDatabase, type TestDatabase } from "./testing";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.destroy();
});

describe("demo accounts with published passwords", () => {
  it("finds the seeded ones, ignores one whose password was changed, and removes only those found", async () => {
    expect(await findPublishedDemoAccounts(database.db)).toEqual([]);
    await seedDemoUsers(database.db);
    const found = await findPublishedDemoAccounts(database.db);
    expect(found.map((a) => a.email).sort()).toEqual(["admin@example.com", "user@example.com"]);

    const demoUser = await database.db.user.findUniqueOrThrow({ where: { email: "user@example.com" } });
    await database.db.account.updateMany({
      where: { userId: demoUser.id },
      data: { password: await hashPassword("a-private-password-456") },
    });
    expect((await findPublishedDemoAccounts(database.db)).map((a) => a.email)).toEqual(["admin@example.com"]);

    const removed = await removePublishedDemoAccounts(database.db);
    expect(removed.map((a) => a.email)).toEqual(["admin@example.com"]);
    expect(await database.db.user.findUnique({ where: { email: "admin@example.com" } })).toBeNull();
    expect(await database.db.user.findUnique({ where: { email: "user@example.com" } })).not.toBeNull();
    expect(await findPublishedDemoAccounts(database.db)).toEqual([]);
  });
});
