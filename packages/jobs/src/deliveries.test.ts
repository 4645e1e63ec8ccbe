import { describe, expect, it } from "vitest";
import { setUpTestDatabase } from "@acme/db/testing";
import type { EmailContent } from "@acme/validators";
import { loadDeliveriesToSend, planDeliveries, recordAttempts, type NoticeChange } from "./deliveries";

const database = setUpTestDatabase();

async function userWithChange(name: string, devices: number) {
  const { db } = database;
  const user = await db.user.create({
    data: { email: `${name}@example.test`, name, username: name, usernameNormalized: name },
  });
  for (let i = 0; i < devices; i += 1)
    await db.pushSubscription.create({
      data: { userId: user.id, endpoint: `https://push.example.test/${name}/${i}`, p256dh: "key", auth: "auth" },
    });
  const change = await db.profileChange.create({
    data: {
      userId: user.id,
      actorId: user.id,
      changedFields: ["username"],
      changes: { username: { from: "before", to: name } },
      userAgent: "Mozilla/5.0 Firefox/133.0",
    },
  });
  const input = {
    changeId: change.id,
    userId: user.id,
    eventId: "event-1",
    runId: "run-1",
    kind: "profile_updated" as const,
  };
  return { user, change, input };
}

/** 4 emails/s: turns 312.5 ms apart (PACE_HEADROOM). */
const EMAIL_RATE = 4;
const plan = (input: Parameters<typeof planDeliveries>[1], compose: Parameters<typeof planDeliveries>[2]) =>
  planDeliveries(database.db, input, compose, EMAIL_RATE);

const emailFor =
  (subject: string) =>
  (change: NoticeChange, to: string): Promise<EmailContent> =>
    Promise.resolve({ from: "a@example.test", to, subject: `${subject} ${change.username}`, html: "<p/>", text: "" });

describe("planDeliveries", () => {
  it("creates one row per target with the email pinned, and a replayed plan gets the same rows, content untouched", async () => {
    const { change, input } = await userWithChange("planned_1", 2);

    const { planned: first, emailTurns } = await plan(input, emailFor("first"));
    expect(first.map((d) => [d.channel, d.status])).toEqual([
      ["email", "queued"],
      ["push", "queued"],
      ["push", "queued"],
    ]);
    // The email's row already holds what every try will send.
    const [email] = await loadDeliveriesToSend(database.db, [first[0]!.id]);
    expect(email).toMatchObject({ target: "planned_1@example.test", content: { subject: "first planned_1" } });
    expect(email!.change).toMatchObject({
      id: change.id,
      username: "planned_1",
      userAgent: "Mozilla/5.0 Firefox/133.0",
    });

    // The queued email's turn was taken by the same statement.
    expect(emailTurns).toEqual([{ deliveryId: first[0]!.id, at: expect.any(Number), reservedAt: expect.any(Number) }]);
    expect(emailTurns[0]!.at).toBeGreaterThanOrEqual(emailTurns[0]!.reservedAt);

    await database.db.delivery.update({ where: { id: first[1]!.id }, data: { status: "sent" } });
    const { planned: replayed, emailTurns: replayedTurns } = await plan(
      { ...input, runId: "run-2" },
      emailFor("second"),
    );
    expect(new Set(replayed.map((d) => d.id))).toEqual(new Set(first.map((d) => d.id)));
    expect(replayed.find((d) => d.id === first[1]!.id)?.status).toBe("sent");
    const rows = await database.db.delivery.findMany({ where: { profileChangeId: change.id } });
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.runId === "run-1")).toBe(true);
    expect(rows.find((r) => r.channel === "email")?.content).toMatchObject({ subject: "first planned_1" });
    expect(rows.filter((r) => r.channel === "push").map((r) => r.content)).toEqual([null, null]);
    // Its email still queued, the replay queues behind the first turn.
    expect(replayedTurns.map((t) => t.deliveryId)).toEqual([first[0]!.id]);
    expect(replayedTurns[0]!.at - emailTurns[0]!.at).toBeGreaterThanOrEqual(312);
  });

  it("takes no turn, and leaves the pace alone, when the email has gone already", async () => {
    const { input } = await userWithChange("planned_4", 1);
    const { planned } = await plan(input, emailFor("first"));
    await database.db.delivery.update({ where: { id: planned[0]!.id }, data: { status: "sent" } });
    const pace = await database.db.sendPace.findUniqueOrThrow({ where: { channel: "email" } });
    const replayed = await plan({ ...input, runId: "run-2" }, emailFor("second"));
    expect(replayed.planned.map((d) => [d.channel, d.status])).toEqual([
      ["email", "sent"],
      ["push", "queued"],
    ]);
    expect(replayed.emailTurns).toEqual([]);
    expect(await database.db.sendPace.findUniqueOrThrow({ where: { channel: "email" } })).toEqual(pace);
  });

  it("still plans every row when the email cannot be rendered, leaving its body to the send", async () => {
    const { input } = await userWithChange("planned_3", 1);
    const { planned } = await plan(input, () => Promise.reject(new Error("template broke")));
    expect(planned.map((d) => [d.channel, d.status])).toEqual([
      ["email", "queued"],
      ["push", "queued"],
    ]);
    const email = await database.db.delivery.findUniqueOrThrow({ where: { id: planned[0]!.id } });
    expect(email.content).toBeNull();
  });

  it("refuses an event that names another user than the change's owner, creating nothing", async () => {
    const { change, input } = await userWithChange("planned_2", 1);
    await expect(plan({ ...input, userId: "someone-else" }, emailFor("x"))).rejects.toThrow(/another user/);
    expect(await database.db.delivery.count({ where: { profileChangeId: change.id } })).toBe(0);
  });
});

describe("recordAttempts", () => {
  it("records the tries of a step in one go, and a late 'still retrying' never overwrites a final state", async () => {
    const { user, change, input } = await userWithChange("recorded_1", 1);
    const [email, push] = (await plan(input, emailFor("hi"))).planned;
    const startedAt = new Date("2026-11-29T10:00:00.123Z");
    const retryAt = new Date("2026-11-29T10:05:00.456Z");
    await recordAttempts(database.db, [
      {
        deliveryId: email!.id,
        attempt: 1,
        runId: "run-1",
        outcome: { status: "sent", providerStatus: 200, providerMessageId: "msg-1", startedAt, maxAttempts: 5 },
      },
      {
        deliveryId: push!.id,
        attempt: 1,
        runId: "run-1",
        outcome: {
          status: "queued",
          providerStatus: 503,
          error: "Push service answered 503",
          content: { title: "t" },
          startedAt,
          nextAttemptAt: retryAt,
        },
      },
    ]);
    const sent = await database.db.delivery.findUniqueOrThrow({ where: { id: email!.id } });
    expect(sent).toMatchObject({ status: "sent", attempts: 1, providerMessageId: "msg-1", maxAttempts: 5 });
    expect(sent.sentAt).not.toBeNull();
    expect(sent.content).toMatchObject({ subject: "hi recorded_1" });
    const waiting = await database.db.delivery.findUniqueOrThrow({ where: { id: push!.id } });
    expect(waiting).toMatchObject({
      status: "queued",
      lastError: "Push service answered 503",
      content: { title: "t" },
    });
    expect(waiting.nextAttemptAt).toEqual(retryAt);
    const attempts = await database.db.deliveryAttempt.findMany({
      orderBy: { outcome: "asc" },
      where: { delivery: { profileChangeId: change.id } },
    });
    expect(attempts.map((a) => [a.deliveryId, a.outcome, a.providerStatus])).toEqual(
      expect.arrayContaining([
        [email!.id, "sent", 200],
        [push!.id, "queued", 503],
      ]),
    );
    expect(attempts.every((a) => a.startedAt?.getTime() === startedAt.getTime())).toBe(true);

    // The push arrives; its device's last success is now. A late "still retrying" from another run then changes nothing.
    const subscription = await database.db.pushSubscription.findFirstOrThrow({ where: { userId: user.id } });
    await recordAttempts(database.db, [
      {
        deliveryId: push!.id,
        attempt: 2,
        runId: "run-1",
        outcome: { status: "sent", providerStatus: 201 },
        reachedSubscriptionId: subscription.id,
      },
    ]);
    await recordAttempts(database.db, [
      { deliveryId: push!.id, attempt: 2, runId: "run-late", outcome: { status: "queued", error: "late" } },
    ]);
    const arrived = await database.db.delivery.findUniqueOrThrow({ where: { id: push!.id } });
    expect(arrived).toMatchObject({
      status: "sent",
      attempts: 2,
      runId: "run-1",
      lastError: null,
      nextAttemptAt: null,
    });
    expect(
      (await database.db.pushSubscription.findUniqueOrThrow({ where: { id: subscription.id } })).lastSuccessAt,
    ).not.toBeNull();
    // Every try stays in the timeline, the late one included.
    expect(await database.db.deliveryAttempt.count({ where: { deliveryId: push!.id } })).toBe(3);
  });
});
