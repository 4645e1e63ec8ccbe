import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { changeAdminRole, type AdminRoleActor } from "./admin-roles";
import { createPrismaClient, type Database } from "./client";
import { createTestDatabase, type TestDatabase } from "./testing";

const cli: AdminRoleActor = { source: "command_line", userId: null, email: null, ipAddress: null, userAgent: null };

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.destroy();
});
beforeEach(async () => {
  await database.db.adminRoleChange.deleteMany();
  await database.db.user.deleteMany();
});

let counter = 0;
function createUser(db: Database, role: "user" | "admin" = "user") {
  counter += 1;
  const username = `role_user_${counter}`;
  return db.user.create({
    data: { email: `${username}@example.test`, name: username, username, usernameNormalized: username, role },
  });
}

describe("changeAdminRole", () => {
  it("grants by email (any case), records who, how and from where, and says when nothing changes", async () => {
    const admin = await createUser(database.db, "admin");
    const user = await createUser(database.db);
    const actor: AdminRoleActor = {
      source: "admin_page",
      userId: admin.id,
      email: admin.email,
      ipAddress: "203.0.113.9",
      userAgent: "vitest",
    };
    const result = await changeAdminRole(database.db, {
      target: { email: user.email.toUpperCase() },
      action: "granted",
      actor,
    });
    expect(result).toMatchObject({ outcome: "changed", action: "granted", user: { id: user.id } });
    expect((await database.db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("admin");
    expect(await database.db.adminRoleChange.findMany()).toEqual([
      expect.objectContaining({
        action: "granted",
        source: "admin_page",
        targetId: user.id,
        targetEmail: user.email,
        actorId: admin.id,
        actorEmail: admin.email,
        ipAddress: "203.0.113.9",
      }),
    ]);

    const again = await changeAdminRole(database.db, { target: { userId: user.id }, action: "granted", actor });
    expect(again.outcome).toBe("unchanged");
    expect(await database.db.adminRoleChange.count()).toBe(1);
  });

  it("answers unknown-user for an address nobody has", async () => {
    const result = await changeAdminRole(database.db, {
      target: { email: "nobody@example.test" },
      action: "granted",
      actor: cli,
    });
    expect(result).toEqual({ outcome: "unknown-user" });
  });

  it("refuses to revoke the last admin and writes nothing", async () => {
    const admin = await createUser(database.db, "admin");
    const result = await changeAdminRole(database.db, { target: { userId: admin.id }, action: "revoked", actor: cli });
    expect(result.outcome).toBe("last-admin");
    expect((await database.db.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");
    expect(await database.db.adminRoleChange.count()).toBe(0);
  });

  it("lets exactly one of two concurrent revokes through when two admins are left", async () => {
    const first = await createUser(database.db, "admin");
    const second = await createUser(database.db, "admin");
    // Separate clients, so the two transactions really run side by side on the server.
    const clients = [0, 1].map(() => createPrismaClient({ connectionString: database.url, maxConnections: 1 }));
    try {
      for (let round = 0; round < 5; round += 1) {
        await database.db.user.updateMany({ where: { id: { in: [first.id, second.id] } }, data: { role: "admin" } });
        const results = await Promise.all(
          [first, second].map((admin, i) =>
            changeAdminRole(clients[i]!, { target: { userId: admin.id }, action: "revoked", actor: cli }),
          ),
        );
        expect(results.map((r) => r.outcome).sort()).toEqual(["changed", "last-admin"]);
        expect(await database.db.user.count({ where: { role: "admin" } })).toBe(1);
      }
    } finally {
      await Promise.all(clients.map((client) => client.$disconnect()));
    }
  });
});
