import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, waitFor, type Harness } from "./harness";

// Devices stored before the rules (or DNS) changed: the send-time check must stop them without
// the request ever reaching the address.
let h: Harness;
beforeAll(async () => {
  // "localhost" is allowed by name here, so only the check of the resolved address can stop it.
  h = await startHarness({ env: { PUSH_ALLOWED_HOSTS: "localhost" } });
});
afterAll(async () => {
  await h?.stop();
});

describe("delivery planning", () => {
  it("refuses an event whose userId is not the change's owner, and sends nothing", async () => {
    const [owner, other] = [
      await h.signUp("owner.forged@example.com", "forged_owner"),
      await h.signUp("other.forged@example.com", "forged_other"),
    ];
    const change = await h.database.db.profileChange.create({
      data: {
        userId: owner.userId,
        actorId: owner.userId,
        changedFields: ["username"],
        changes: { username: { from: "forged_owner", to: "forged_owner2" } },
      },
    });
    await h.jobs.inngest.send({
      name: "user/profile.updated",
      data: { changeId: change.id, userId: other.userId, changedFields: ["username"] },
    });
    const run = await waitFor(
      async () => {
        const rows = await h.database.db.$queryRaw<{ status: string; output: unknown }[]>`
          SELECT status, COALESCE(error, output) AS output FROM inngest_executor.runs WHERE event->'data'->>'changeId' = ${change.id}`;
        return rows[0]?.status === "Failed" ? rows[0] : null;
      },
      { what: "the forged event's run to fail" },
    );
    expect(JSON.stringify(run.output)).toMatch(/another user/);
    expect(await h.database.db.delivery.count({ where: { profileChangeId: change.id } })).toBe(0);
    expect(h.mailbox.messages().filter((m) => m.to.includes("other.forged@example.com"))).toHaveLength(0);
  });
});

describe("push endpoints at send time", () => {
  it("sends to the vetted service only; names resolving to loopback and private literals are refused for good", async () => {
    const { userId, api } = await h.signUp("egress@example.com", "egress_person");
    const good = h.push.createSubscription({ applicationServerKey: h.vapidPublicKey });
    await api.push.subscribe.mutate(good.subscription);
    const port = new URL(h.push.origin).port;
    const viaName = h.push.createSubscription({ applicationServerKey: h.vapidPublicKey });
    const viaMapped = h.push.createSubscription({ applicationServerKey: h.vapidPublicKey });
    for (const [created, endpoint] of [
      [viaName, `https://localhost:${port}/push/${viaName.id}`],
      [viaMapped, `https://[::ffff:127.0.0.1]:${port}/push/${viaMapped.id}`],
    ] as const) {
      await h.database.db.pushSubscription.create({
        data: { userId, endpoint, p256dh: created.subscription.keys.p256dh, auth: created.subscription.keys.auth },
      });
    }

    await api.user.update.mutate({ username: "egress_renamed" });
    const change = await h.database.db.profileChange.findFirstOrThrow({ where: { userId, kind: "profile_updated" } });
    const pushes = await waitFor(
      async () => {
        const rows = await h.database.db.delivery.findMany({ where: { profileChangeId: change.id, channel: "push" } });
        return rows.length === 3 && rows.every((r) => r.status !== "queued") ? rows : null;
      },
      { what: "three settled pushes" },
    );
    const byTarget = Object.fromEntries(pushes.map((row) => [row.target, row]));
    expect(byTarget[good.subscription.endpoint]?.status).toBe("sent");
    const byName = byTarget[`https://localhost:${port}/push/${viaName.id}`]!;
    expect([byName.status, byName.attempts]).toEqual(["failed", 1]);
    expect(byName.lastError).toMatch(/Push endpoint refused: .*non-public address/);
    const mapped = pushes.find((row) => row.target.includes("[::ffff"))!;
    expect([mapped.status, mapped.attempts]).toEqual(["failed", 1]);
    expect(mapped.lastError).toMatch(/Push endpoint refused: .*private/);
    // The good device also got the notice of its own registration (push_device_added): count this change's.
    const forChange = h.push
      .received(good.id)
      .filter((p) => (p.json as { changeId?: string } | null)?.changeId === change.id);
    expect(forChange).toHaveLength(1);
    expect(h.push.received(viaName.id)).toHaveLength(0);
    expect(h.push.received(viaMapped.id)).toHaveLength(0);
  });
});
