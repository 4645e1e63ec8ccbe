import { describe, expect, it } from "vitest";
import { callerFor, createUser, useTestDatabase } from "../../../test-utils";
import { rejection } from "../test-helpers";

const database = useTestDatabase({ reset: false });

describe("admin.users", () => {
  it("finds accounts by part of the email or username, admins first", async () => {
    const admin = await createUser(database.db, { role: "admin", username: "search_admin" });
    await createUser(database.db, { username: "findme_alpha" });
    await createUser(database.db, { username: "FindMe_beta" });
    const { caller } = callerFor(database.db, admin);

    const found = await caller.admin.users.list({ query: "findme" });
    expect(found.users.map((u) => u.username).sort()).toEqual(["FindMe_beta", "findme_alpha"]);
    const all = await caller.admin.users.list({});
    expect(all.users[0]!.role).toBe("admin");
    expect(all.viewerId).toBe(admin.id);
  });

  it("grants and revokes, audited with the acting admin and the request's address", async () => {
    const admin = await createUser(database.db, { role: "admin" });
    const user = await createUser(database.db);
    const { caller } = callerFor(database.db, admin);

    await expect(caller.admin.users.setRole({ userId: user.id, admin: true })).resolves.toEqual({
      userId: user.id,
      admin: true,
      changed: true,
    });
    await expect(caller.admin.users.setRole({ userId: user.id, admin: false })).resolves.toMatchObject({
      changed: true,
    });
    await expect(caller.admin.users.setRole({ userId: user.id, admin: false })).resolves.toMatchObject({
      changed: false,
    });

    const audit = (await caller.admin.users.audit()).filter((row) => row.targetEmail === user.email);
    expect(audit.map((row) => row.action)).toEqual(["revoked", "granted"]);
    expect(audit[0]).toMatchObject({ source: "admin_page", actorEmail: admin.email, ipAddress: "203.0.113.7" });
  });

  it("tells the user of each grant and revoke through the outbox, in the role change's transaction", async () => {
    const admin = await createUser(database.db, { role: "admin" });
    const user = await createUser(database.db);
    const { caller, dispatched } = callerFor(database.db, admin);

    await caller.admin.users.setRole({ userId: user.id, admin: true });
    await caller.admin.users.setRole({ userId: user.id, admin: false });
    await caller.admin.users.setRole({ userId: user.id, admin: false }); // unchanged: no notice

    const events = await database.db.profileChange.findMany({
      where: { userId: user.id },
      orderBy: { createdAt: "asc" },
    });
    const outbox = await database.db.outboxEvent.findMany({ where: { subjectId: { in: events.map((e) => e.id) } } });
    expect(events.map((e) => [e.kind, e.actorId, e.ipAddress])).toEqual([
      ["admin_granted", admin.id, "203.0.113.7"],
      ["admin_revoked", admin.id, "203.0.113.7"],
    ]);
    expect(outbox).toHaveLength(2);
    expect(dispatched.sort()).toEqual(outbox.map((o) => o.id).sort());
  });

  it("refuses to revoke the last admin, even the caller themself, with CONFLICT", async () => {
    // This file's other tests leave admins behind: make this one the only admin.
    await database.db.user.updateMany({ data: { role: "user" } });
    const admin = await createUser(database.db, { role: "admin" });
    const { caller } = callerFor(database.db, admin);
    const error = await rejection(caller.admin.users.setRole({ userId: admin.id, admin: false }));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain("is the last admin");
    expect((await database.db.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");
  });

  it("answers NOT_FOUND for an unknown account", async () => {
    const admin = await createUser(database.db, { role: "admin" });
    const { caller } = callerFor(database.db, admin);
    expect((await rejection(caller.admin.users.setRole({ userId: "no-such-user", admin: true }))).code).toBe(
      "NOT_FOUND",
    );
  });
});
