import { describe, expect, it } from "vitest";
import { browserPushKeys, callerFor, createUser, rejection, testApiConfig, useTestDatabase } from "../../test-utils";

const database = useTestDatabase({ reset: false });

const keys = browserPushKeys();
let n = 0;
const endpoint = () => `https://push.example/send/${(n += 1)}`;
const withSecurity = (security: Partial<typeof testApiConfig.security>) => ({
  security: { ...testApiConfig.security, ...security },
});

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

  it("stores one spelling per device, so the same endpoint written differently is the same device", async () => {
    const user = await createUser(database.db);
    const { caller } = callerFor(database.db, user);
    const path = `/send/${(n += 1)}`;
    const first = await caller.push.subscribe({ endpoint: `https://PUSH.example:443${path}#x`, keys });
    const second = await caller.push.subscribe({ endpoint: `https://push.example${path}`, keys });
    expect(second.id).toBe(first.id);
    expect((await caller.push.list()).map((d) => d.endpoint)).toEqual([`https://push.example${path}`]);
    expect(await caller.push.unsubscribe({ endpoint: `https://Push.Example${path}` })).toEqual({ removed: 1 });
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
    [
      { endpoint: "https://push.example/x", keys: { ...keys, p256dh: Buffer.alloc(65, 4).toString("base64url") } },
      "keys.p256dh",
    ],
    [
      { endpoint: "https://push.example/x", keys: { ...keys, auth: Buffer.alloc(32, 1).toString("base64url") } },
      "keys.auth",
    ],
    [{ endpoint: "https://push.example/x", keys, userId: "someone" }, "userId"],
  ])("rejects %j naming %s", async (input, field) => {
    const user = await createUser(database.db);
    const error = await rejection(callerFor(database.db, user).caller.push.subscribe(input));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain(field);
  });

  it.each([
    ["https://127.0.0.1:8443/push", "private"],
    ["https://[::ffff:7f00:1]/push", "private"],
    ["https://10.0.0.8/push", "private"],
    ["https://localhost:8443/push", "not a known push service"],
    ["https://user:secret@fcm.googleapis.com/fcm/send/x", "credentials"],
    ["https://metadata.internal/latest", "not a known push service"],
  ])("refuses the endpoint %s before storing anything", async (url, reason) => {
    const user = await createUser(database.db);
    const { caller } = callerFor(database.db, user);
    const error = await rejection(caller.push.subscribe({ endpoint: url, keys }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.fieldErrors?.endpoint?.[0]).toContain(reason);
    expect(await caller.push.list()).toEqual([]);
  });

  it("refuses an allowed name that resolves to a loopback address", async () => {
    const user = await createUser(database.db);
    const allowLocalhost = withSecurity({
      pushEndpoints: { ...testApiConfig.security.pushEndpoints, allowedHosts: ["localhost"] },
    });
    const { caller } = callerFor(database.db, user, allowLocalhost);
    const error = await rejection(caller.push.subscribe({ endpoint: "https://localhost/push/1", keys }));
    expect(error.fieldErrors?.endpoint?.[0]).toMatch(/non-public address/);
  });

  it("caps the devices of one user, even when they subscribe at once", async () => {
    const user = await createUser(database.db);
    const { caller } = callerFor(database.db, user, withSecurity({ pushMaxDevices: 3 }));
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => caller.push.subscribe({ endpoint: endpoint(), keys })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect(await caller.push.list()).toHaveLength(3);
    const error = await rejection(caller.push.subscribe({ endpoint: endpoint(), keys }));
    expect(error.message).toMatch(/most allowed is 3/);
  });

  it("requires a session", async () => {
    expect(
      (await rejection(callerFor(database.db, null).caller.push.subscribe({ endpoint: endpoint(), keys }))).code,
    ).toBe("UNAUTHORIZED");
  });
});
