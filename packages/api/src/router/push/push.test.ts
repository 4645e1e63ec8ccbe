import { describe, expect, it } from "vitest";
import { callerFor, createUser, rejection, useTestDatabase } from "../../test-utils";

const database = useTestDatabase({ reset: false });

const keys = { p256dh: Buffer.alloc(65, 4).toString("base64url"), auth: Buffer.alloc(16, 9).toString("base64url") };
let n = 0;
const endpoint = () => `https://push.example/send/${(n += 1)}`;

describe("push router", () => {
  it("stores a subscription for the signed-in user and updates it in place when sent again", async () => {
    const user = await createUser(database.db);
    const { caller } = callerFor(database.db, user);
    const url = endpoint();
    const first = await caller.push.subscribe({ endpoint: url, expirationTime: null, keys });
    const again = await caller.push.subscribe({
      endpoint: url,
      keys: { ...keys, auth: Buffer.alloc(16, 1).toString("base64url") },
    });
    expect(again.id).toBe(first.id);
    expect(await caller.push.list()).toEqual([
      expect.objectContaining({ id: first.id, endpoint: url, userAgent: "vitest" }),
    ]);
  });

  it("treats a browser moving to another account as a new device", async () => {
    const [previous, next] = [await createUser(database.db), await createUser(database.db)];
    const url = endpoint();
    const old = await callerFor(database.db, previous).caller.push.subscribe({ endpoint: url, keys });
    const moved = await callerFor(database.db, next).caller.push.subscribe({ endpoint: url, keys });
    expect(moved.id).not.toBe(old.id);
    expect(await callerFor(database.db, previous).caller.push.list()).toEqual([]);
    expect((await callerFor(database.db, next).caller.push.list()).map((d) => d.id)).toEqual([moved.id]);
  });

  it("only unsubscribes the caller's own devices", async () => {
    const [owner, other] = [await createUser(database.db), await createUser(database.db)];
    const url = endpoint();
    await callerFor(database.db, owner).caller.push.subscribe({ endpoint: url, keys });
    expect(await callerFor(database.db, other).caller.push.unsubscribe({ endpoint: url })).toEqual({ removed: 0 });
    expect(await callerFor(database.db, owner).caller.push.unsubscribe({ endpoint: url })).toEqual({ removed: 1 });
  });

  it.each([
    [{ endpoint: "http://push.example/x", keys }, "endpoint"],
    [{ endpoint: "https://push.example/x", keys: { ...keys, p256dh: "short" } }, "keys.p256dh"],
    [{ endpoint: "https://push.example/x", keys, userId: "someone" }, "userId"],
  ])("rejects %j naming %s", async (input, field) => {
    const user = await createUser(database.db);
    const error = await rejection(callerFor(database.db, user).caller.push.subscribe(input));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain(field);
  });

  it("requires a session", async () => {
    expect(
      (await rejection(callerFor(database.db, null).caller.push.subscribe({ endpoint: endpoint(), keys }))).code,
    ).toBe("UNAUTHORIZED");
  });
});
