import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { createPrismaClient } from "@acme/db";
import { callerFor, createUser, rejection, useTestDatabase } from "../../test-utils";

const database = useTestDatabase();

async function counts() {
  const [changes, outbox] = await Promise.all([database.db.profileChange.count(), database.db.outboxEvent.count()]);
  return { changes, outbox };
}

describe("user.update: which fields changed", () => {
  it("changes the username only, writing one audit row and one outbox event", async () => {
    const user = await createUser(database.db, { phoneNumber: "+14155550100" });
    const { caller, dispatched } = callerFor(database.db, user);
    const result = await caller.user.update({ username: "renamed_one" });
    expect(result.changed).toEqual(["username"]);
    expect(result.user).toMatchObject({ username: "renamed_one", phoneNumber: "+14155550100" });
    expect(result.user).not.toHaveProperty("usernameNormalized");

    const change = await database.db.profileChange.findFirstOrThrow({ where: { userId: user.id } });
    expect(change).toMatchObject({
      actorId: user.id,
      changedFields: ["username"],
      ipAddress: "203.0.113.7",
      userAgent: "vitest",
    });
    expect(change.changes).toEqual({ username: { from: user.username, to: "renamed_one" } });
    const outbox = await database.db.outboxEvent.findFirstOrThrow();
    expect(outbox.name).toBe("user/profile.updated");
    expect(outbox.payload).toEqual({
      changeId: change.id,
      userId: user.id,
      kind: "profile_updated",
      changedFields: ["username"],
    });
    expect(outbox.dispatchedAt).toBeNull();
    expect(dispatched).toEqual([outbox.id]);
  });

  it("changes the phone number only", async () => {
    const user = await createUser(database.db);
    const { caller } = callerFor(database.db, user);
    const result = await caller.user.update({ phoneNumber: "+1 415 555 0123", username: user.username });
    expect(result.changed).toEqual(["phoneNumber"]);
    expect(result.user.phoneNumber).toBe("+14155550123");
  });

  it("changes both", async () => {
    const user = await createUser(database.db);
    const { caller } = callerFor(database.db, user);
    const result = await caller.user.update({ username: "both_changed", phoneNumber: "4155550124" });
    expect(result.changed).toEqual(["username", "phoneNumber"]);
  });

  it("writes and emits nothing when nothing changed", async () => {
    const user = await createUser(database.db, { phoneNumber: "+14155550100" });
    const { caller, dispatched } = callerFor(database.db, user);
    const result = await caller.user.update({ username: ` ${user.username} `, phoneNumber: "(415) 555-0100" });
    expect(result.changed).toEqual([]);
    expect(await counts()).toEqual({ changes: 0, outbox: 0 });
    expect(dispatched).toEqual([]);
    const stored = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.updatedAt).toEqual(user.updatedAt);
  });
});

describe("user.update: phone numbers", () => {
  it.each([
    ["(415) 555-0125", "+14155550125"],
    ["415.555.0126", "+14155550126"],
    ["+44 20 7946 0958", "+442079460958"],
    ["  +33 1 42 68 53 00 ", "+33142685300"],
  ])("normalizes %s to %s", async (raw, e164) => {
    const user = await createUser(database.db);
    const { caller } = callerFor(database.db, user);
    expect((await caller.user.update({ phoneNumber: raw })).user.phoneNumber).toBe(e164);
  });

  it("clears the number with null", async () => {
    const user = await createUser(database.db, { phoneNumber: "+14155550100" });
    const { caller } = callerFor(database.db, user);
    const result = await caller.user.update({ phoneNumber: null });
    expect(result).toMatchObject({ changed: ["phoneNumber"], user: { phoneNumber: null } });
  });

  it.each(["12345", "not a phone", "+1 555", "", "+999 123 456 789"])(
    "rejects %j with a phone field error and writes nothing",
    async (raw) => {
      const user = await createUser(database.db);
      const { caller } = callerFor(database.db, user);
      const error = await rejection(caller.user.update({ phoneNumber: raw }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toMatch(/^phoneNumber: Phone number/);
      expect(error.fieldErrors?.phoneNumber?.[0]).toMatch(/Phone number/);
      expect(await counts()).toEqual({ changes: 0, outbox: 0 });
    },
  );
});

describe("user.update: usernames", () => {
  it.each([
    ["ab", "at least 3"],
    ["a".repeat(31), "at most 30"],
    ["has space", "only letters, digits and _"],
    ["dash-name", "only letters, digits and _"],
    ["émile", "only letters, digits and _"],
  ])("rejects %j (%s)", async (username, rule) => {
    const user = await createUser(database.db);
    const { caller } = callerFor(database.db, user);
    const error = await rejection(caller.user.update({ username }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("username: ");
    expect(error.fieldErrors?.username?.join(" ")).toContain(rule);
  });

  it("trims surrounding whitespace", async () => {
    const user = await createUser(database.db);
    const { caller } = callerFor(database.db, user);
    expect((await caller.user.update({ username: "  trimmed_name  " })).user.username).toBe("trimmed_name");
  });

  it("is unique regardless of case: CONFLICT naming the field, nothing written", async () => {
    await createUser(database.db, { username: "Taken_Name" });
    const user = await createUser(database.db);
    const { caller } = callerFor(database.db, user);
    const error = await rejection(caller.user.update({ username: "taken_NAME" }));
    expect(error.code).toBe("CONFLICT");
    expect(error.fieldErrors).toEqual({ username: ["That username is already taken"] });
    expect(await counts()).toEqual({ changes: 0, outbox: 0 });
  });

  it("lets a user change only the case of their own name", async () => {
    const user = await createUser(database.db, { username: "case_me" });
    const { caller } = callerFor(database.db, user);
    expect((await caller.user.update({ username: "Case_Me" })).changed).toEqual(["username"]);
  });

  it("resolves a race for the same new username: one wins, the other gets CONFLICT", async () => {
    const [a, b] = await Promise.all([createUser(database.db), createUser(database.db)]);
    const results = await Promise.allSettled([
      callerFor(database.db, a).caller.user.update({ username: "raced_name" }),
      callerFor(database.db, b).caller.user.update({ username: "RACED_NAME" }),
    ]);
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(TRPCError);
    expect((rejected[0]!.reason as TRPCError).code).toBe("CONFLICT");
    expect(await counts()).toEqual({ changes: 1, outbox: 1 });
  });
});

describe("user.update: concurrent updates of one user", () => {
  /** Each change's "from" is what the one before it wrote: following from → to visits every change once. */
  async function expectOneChain(userId: string, start: string, end: string) {
    const rows = await database.db.profileChange.findMany({ where: { userId } });
    const next = new Map(
      rows.map((row) => {
        const { username } = row.changes as { username: { from: string; to: string } };
        return [username.from, username.to] as const;
      }),
    );
    expect(next.size).toBe(rows.length);
    const visited = [start];
    for (let name = start; next.has(name); name = next.get(name)!) visited.push(next.get(name)!);
    expect(visited).toHaveLength(rows.length + 1);
    expect(visited.at(-1)).toBe(end);
  }

  it("diffs each one against what the one before it committed", async () => {
    const user = await createUser(database.db);
    const names = Array.from({ length: 12 }, (_, i) => `chained_${i}`);
    const results = await Promise.all(
      names.map((username) => callerFor(database.db, user).caller.user.update({ username })),
    );
    expect(results.every((r) => r.changed.length === 1)).toBe(true);
    const { username } = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
    await expectOneChain(user.id, user.username, username);
    expect(await counts()).toEqual({ changes: 12, outbox: 12 });
  });

  it("writes nothing from a read another update overtook, and reads under the row's lock when that keeps happening", async () => {
    const user = await createUser(database.db);
    // Another writer changes the user right after each of this request's unlocked reads.
    let overtaken = 0;
    const db = new Proxy(database.db, {
      get(target, key, receiver) {
        if (key !== "$queryRaw") return Reflect.get(target, key, receiver) as unknown;
        return async (sql: TemplateStringsArray, ...values: unknown[]) => {
          const rows: unknown = await target.$queryRaw(sql, ...values);
          if (sql.join("?").trim() === 'SELECT * FROM "User" WHERE id = ?') {
            overtaken += 1;
            await database.db.user.update({ where: { id: user.id }, data: { username: `overtaking_${overtaken}` } });
          }
          return rows;
        };
      },
    });
    const result = await callerFor(db, user).caller.user.update({ username: "finally_mine" });
    expect(overtaken).toBe(3);
    expect(result.changed).toEqual(["username"]);
    const change = await database.db.profileChange.findFirstOrThrow({ where: { userId: user.id } });
    expect(change.changes).toEqual({ username: { from: "overtaking_3", to: "finally_mine" } });
    expect(await counts()).toEqual({ changes: 1, outbox: 1 });
  });
});

describe("user.update: timestamps", () => {
  it("writes updatedAt in UTC whatever the database's time zone", async () => {
    const [{ name } = { name: "" }] = await database.db.$queryRaw<
      { name: string }[]
    >`SELECT current_database() AS name`;
    // UTC+14: a local time written as if it were UTC would be 14 hours ahead.
    await database.db.$executeRawUnsafe(`ALTER DATABASE "${name}" SET "TimeZone" TO 'Pacific/Kiritimati'`);
    const db = createPrismaClient({ connectionString: database.url, maxConnections: 1 });
    try {
      const user = await createUser(database.db);
      const { user: updated } = await callerFor(db, user).caller.user.update({ username: "kiritimati_time" });
      const stored = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
      for (const at of [updated.updatedAt, stored.updatedAt])
        expect(Math.abs(at.getTime() - Date.now())).toBeLessThan(60_000);
    } finally {
      await db.$disconnect();
      await database.db.$executeRawUnsafe(`ALTER DATABASE "${name}" RESET "TimeZone"`);
    }
  });
});

describe("user.update: who may change what", () => {
  it.each([{ userId: "someone-else" }, { role: "admin" }, { email: "x@example.com" }])(
    "rejects unknown key %j",
    async (extra) => {
      const victim = await createUser(database.db);
      const user = await createUser(database.db);
      const { caller } = callerFor(database.db, user);
      const error = await rejection(caller.user.update({ username: "sneaky_name", ...extra }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toContain(`Unknown field(s): ${Object.keys(extra)[0]}`);
      expect(await database.db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
        username: user.username,
        role: "user",
      });
      expect(await database.db.user.findUniqueOrThrow({ where: { id: victim.id } })).toMatchObject({
        username: victim.username,
      });
    },
  );

  it("requires at least one field", async () => {
    const user = await createUser(database.db);
    const error = await rejection(callerFor(database.db, user).caller.user.update({}));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/at least one/);
  });

  it("rejects anonymous callers with UNAUTHORIZED", async () => {
    const error = await rejection(callerFor(database.db, null).caller.user.update({ username: "anon_name" }));
    expect(error.code).toBe("UNAUTHORIZED");
  });
});

describe("user.update: all or nothing", () => {
  it("leaves no user change, audit or outbox row when a later write in the transaction fails", async () => {
    const user = await createUser(database.db);
    // A real failure inside the transaction, after the user row was updated.
    await database.db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION reject_outbox() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'outbox is unavailable'; END $$ LANGUAGE plpgsql`);
    await database.db.$executeRawUnsafe(
      `CREATE TRIGGER reject_outbox BEFORE INSERT ON "OutboxEvent" FOR EACH ROW EXECUTE FUNCTION reject_outbox()`,
    );
    try {
      const { caller, dispatched } = callerFor(database.db, user);
      await expect(caller.user.update({ username: "never_saved", phoneNumber: "+14155550199" })).rejects.toThrow(
        /outbox is unavailable/,
      );
      expect(dispatched).toEqual([]);
    } finally {
      await database.db.$executeRawUnsafe(`DROP TRIGGER reject_outbox ON "OutboxEvent"`);
    }
    expect(await database.db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      username: user.username,
      phoneNumber: null,
    });
    expect(await counts()).toEqual({ changes: 0, outbox: 0 });
  });
});

describe("user.me and user.activity", () => {
  it("returns the signed-in user and their recent changes, newest first", async () => {
    const user = await createUser(database.db);
    const { caller } = callerFor(database.db, user);
    await caller.user.update({ username: "first_rename" });
    await caller.user.update({ phoneNumber: "+14155550177" });
    const me = await caller.user.me();
    expect(me.user).toMatchObject({ id: user.id, username: "first_rename", phoneNumber: "+14155550177" });
    const activity = await caller.user.activity({ limit: 5 });
    expect(activity.map((a) => a.changedFields)).toEqual([["phoneNumber"], ["username"]]);
    expect(activity[0]!.changes).toEqual({ phoneNumber: { from: null, to: "+14155550177" } });
  });

  it("only shows the caller's own activity", async () => {
    const other = await createUser(database.db);
    await callerFor(database.db, other).caller.user.update({ username: "others_change" });
    const user = await createUser(database.db);
    expect(await callerFor(database.db, user).caller.user.activity()).toEqual([]);
  });
});
