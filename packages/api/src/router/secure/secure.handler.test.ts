import { describe, expect, it } from "vitest";
import { signSecureLinkToken } from "@acme/validators/secure-link";
import {
  browserPushKeys,
  callerFor,
  createTestAuth,
  createUser,
  rejection,
  testApiConfig,
  useTestDatabase,
} from "../../test-utils";
import { createDelivery } from "../admin/test-helpers";

const database = useTestDatabase();
const key = testApiConfig.secureLinks.secret;
let ipCounter = 0;

/** A signed-out caller from an address of its own (the rate limit counts per address). */
function anonymous() {
  ipCounter += 1;
  const { auth, dispatched } = createTestAuth(database.db);
  const { caller, dispatched: fromApi } = callerFor(
    database.db,
    null,
    {},
    {
      auth,
      request: { ipAddress: `198.51.100.${ipCounter}`, userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0" },
    },
  );
  return { caller, dispatched: () => [...fromApi, ...dispatched] };
}

async function changedUser(overrides: { phoneNumber?: string | null } = {}) {
  const user = await createUser(database.db, { phoneNumber: "+14155550100", ...overrides });
  const { caller } = callerFor(database.db, user);
  await caller.user.update({ username: `${user.username}_x`, phoneNumber: "+14155550199" });
  const change = await database.db.profileChange.findFirstOrThrow({ where: { userId: user.id } });
  const session = (n: number) =>
    database.db.session.create({
      data: { userId: user.id, token: `tok_${user.id}_${n}`, expiresAt: new Date(Date.now() + 86_400_000) },
    });
  await Promise.all([session(1), session(2)]);
  return { user, change, token: signSecureLinkToken(key, change.id) };
}

describe("secureLink.view", () => {
  it("shows what changed, when and from where, to a signed-out holder of the link", async () => {
    const { change, token } = await changedUser();
    const view = await anonymous().caller.secureLink.view({ token });
    expect(view.state).toBe("open");
    expect(view.event).toMatchObject({ kind: "profile_updated", ipAddress: "203.0.113.7", userAgent: "vitest" });
    expect(view.event.lines).toEqual([
      `username changed from “${(change.changes as { username: { from: string } }).username.from}” to “${(change.changes as { username: { to: string } }).username.to}”`,
      "phone number changed to one ending in 99",
    ]);
    expect(view.expiresAt.getTime() - change.createdAt.getTime()).toBe(testApiConfig.secureLinks.ttlMs);
  });

  it("refuses a forged or altered token", async () => {
    const { change, token } = await changedUser();
    const { caller } = anonymous();
    expect((await rejection(caller.secureLink.view({ token: `${change.id}.${"A".repeat(43)}` }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await rejection(caller.secureLink.view({ token: signSecureLinkToken("other-key", change.id) }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await rejection(caller.secureLink.view({ token: token.slice(0, -1) }))).code).toBe("NOT_FOUND");
  });

  it("rate-limits one client hammering one link", async () => {
    const { token } = await changedUser();
    const { caller } = anonymous();
    for (let i = 0; i < 10; i += 1) await caller.secureLink.view({ token });
    expect((await rejection(caller.secureLink.view({ token }))).code).toBe("TOO_MANY_REQUESTS");
  });
});

describe("secureLink.confirm", () => {
  it("uses the link up and changes nothing else", async () => {
    const { user, token } = await changedUser();
    const { caller } = anonymous();
    expect(await caller.secureLink.confirm({ token })).toEqual({ state: "confirmed", answeredNow: true });
    expect(await caller.secureLink.confirm({ token })).toEqual({ state: "confirmed", answeredNow: false });
    const report = await caller.secureLink.report({ token });
    expect(report).toMatchObject({ state: "confirmed", secured: null });
    expect(await database.db.session.count({ where: { userId: user.id } })).toBe(2);
  });
});

describe("secureLink.report", () => {
  it("reverts the profile, ends every session and starts a password reset, all notified through the outbox", async () => {
    const { user, change, token } = await changedUser();
    const { caller, dispatched } = anonymous();
    const result = await caller.secureLink.report({ token });
    expect(result).toMatchObject({
      state: "reported",
      resetEmailRequested: true,
      secured: { restoredFields: ["username", "phoneNumber"], usernameNotRestored: null, sessionsEnded: 2 },
    });

    const after = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toMatchObject({ username: user.username, phoneNumber: "+14155550100" });
    expect(await database.db.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await database.db.profileChange.findUniqueOrThrow({ where: { id: change.id } })).reportedAt).not.toBeNull();

    const events = await database.db.profileChange.findMany({
      where: { userId: user.id, id: { not: change.id } },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((e) => e.kind)).toEqual(["profile_reverted", "password_reset_requested"]);
    expect(events[0]!.details).toEqual({ revertOf: change.id });
    expect(events[0]!.ipAddress).toMatch(/^198\.51\.100\./);
    const outbox = await database.db.outboxEvent.findMany({ where: { subjectId: { in: events.map((e) => e.id) } } });
    expect(outbox).toHaveLength(2);
    expect(dispatched().sort()).toEqual(outbox.map((o) => o.id).sort());
    // The reset request points at better-auth's own token row; the token itself is not copied.
    const resetDetails = events[1]!.details as { resetVerificationId: string };
    const verification = await database.db.verification.findUniqueOrThrow({
      where: { id: resetDetails.resetVerificationId },
    });
    expect(verification.value).toBe(user.id);
    expect(JSON.stringify(events[1])).not.toContain(verification.identifier.replace("reset-password:", ""));
  });

  it("keeps the rest when the old username has been taken since", async () => {
    const { user, token } = await changedUser();
    await database.db.user.update({
      where: { id: user.id },
      data: { username: `${user.username}_y`, usernameNormalized: `${user.username}_y`.toLowerCase() },
    });
    await database.db.user.create({
      data: {
        email: `other.${user.email}`,
        name: user.username,
        username: user.username,
        usernameNormalized: user.username.toLowerCase(),
      },
    });
    const result = await anonymous().caller.secureLink.report({ token });
    expect(result.secured).toMatchObject({ restoredFields: ["phoneNumber"], usernameNotRestored: user.username });
    const after = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toMatchObject({ username: `${user.username}_y`, phoneNumber: "+14155550100" });
  });

  it("acts once when clicked twice at the same time", async () => {
    const { user, token } = await changedUser();
    const { caller } = anonymous();
    const results = await Promise.all([caller.secureLink.report({ token }), caller.secureLink.report({ token })]);
    expect(results.filter((r) => r.secured !== null)).toHaveLength(1);
    expect(results.map((r) => r.state)).toEqual(["reported", "reported"]);
    expect(await database.db.profileChange.count({ where: { userId: user.id, kind: "profile_reverted" } })).toBe(1);
    expect(
      await database.db.profileChange.count({ where: { userId: user.id, kind: "password_reset_requested" } }),
    ).toBe(1);
  });

  it("does nothing with an expired link", async () => {
    const { user, change, token } = await changedUser();
    await database.db.profileChange.update({
      where: { id: change.id },
      data: { createdAt: new Date(Date.now() - testApiConfig.secureLinks.ttlMs - 1000) },
    });
    const { caller } = anonymous();
    expect((await caller.secureLink.view({ token })).state).toBe("expired");
    expect(await caller.secureLink.report({ token })).toMatchObject({ state: "expired", secured: null });
    expect(await caller.secureLink.confirm({ token })).toMatchObject({ state: "expired", answeredNow: false });
    expect(await database.db.session.count({ where: { userId: user.id } })).toBe(2);
    expect((await database.db.user.findUniqueOrThrow({ where: { id: user.id } })).username).toBe(`${user.username}_x`);
  });

  it("removes the device a push_device_added event added", async () => {
    const user = await createUser(database.db);
    const { caller } = callerFor(database.db, user);
    const endpoint = "https://push.example/sub/secure-1";
    await caller.push.subscribe({ endpoint, keys: browserPushKeys() });
    const change = await database.db.profileChange.findFirstOrThrow({ where: { userId: user.id } });
    expect(change.kind).toBe("push_device_added");
    const result = await anonymous().caller.secureLink.report({ token: signSecureLinkToken(key, change.id) });
    expect(result.secured).toMatchObject({ deviceRemoved: true, restoredFields: [] });
    expect(await database.db.pushSubscription.count({ where: { endpoint } })).toBe(0);
  });

  it("has no link for events the user did not need to be asked about", async () => {
    const user = await createUser(database.db);
    const change = await database.db.profileChange.create({
      data: { kind: "admin_granted", userId: user.id, actorId: user.id, changedFields: [], changes: {} },
    });
    const { caller } = anonymous();
    expect((await rejection(caller.secureLink.view({ token: signSecureLinkToken(key, change.id) }))).code).toBe(
      "NOT_FOUND",
    );
  });
});

describe("admins see what users reported", () => {
  it("filters the history to reported changes and flags the change", async () => {
    const admin = await createUser(database.db, { role: "admin" });
    const reported = await changedUser();
    const other = await changedUser();
    for (const { change } of [reported, other]) {
      const parent = { change, eventId: `evt_${change.id}` };
      await createDelivery(database.db, parent);
    }
    await anonymous().caller.secureLink.report({ token: reported.token });

    const { caller } = callerFor(database.db, admin);
    const all = await caller.admin.deliveries.list({});
    const flagged = await caller.admin.deliveries.list({ reported: true });
    expect(all.items.length).toBeGreaterThan(flagged.items.length);
    expect(flagged.items.map((row) => row.change.id)).toEqual([reported.change.id]);
    expect(flagged.items[0]!.change.reportedAt).toBeInstanceOf(Date);

    const detail = await caller.admin.changes.get({ id: reported.change.id });
    expect(detail).toMatchObject({ kind: "profile_updated", confirmedAt: null });
    expect(detail.reportedAt).toBeInstanceOf(Date);
    expect((await caller.admin.changes.get({ id: other.change.id })).reportedAt).toBeNull();
  });
});
