import { beforeEach, describe, expect, it } from "vitest";
import { loadServerConfig } from "@acme/config";
import { callerFor, createUser, useTestDatabase } from "../../test-utils";
import { createChange, createDelivery, rejection } from "./test-helpers";

const database = useTestDatabase();
// The server's environment as each test sets it; run links come from the real config parser.
let env: Record<string, string> = {};
beforeEach(() => {
  env = {};
});

const emailContent = {
  subject: "Your username changed",
  from: "Profile Notify <notify@example.test>",
  to: "carol@example.com",
  html: "<p>Hi <b>carol</b></p>",
  text: "Hi carol",
};
const pushContent = {
  title: "Profile updated",
  body: "Your username is now carol",
  url: "http://localhost:3000/profile",
  tag: "profile-change",
  changeId: "c1",
  generation: 0,
};

async function adminCaller() {
  const { inngest } = loadServerConfig({ DATABASE_URL: database.url, ...env });
  return callerFor(database.db, await createUser(database.db, { role: "admin" }), { inngest }).caller;
}

describe("admin.deliveries.get", () => {
  it("returns the attempt timeline, the email as sent, the run and Inngest's page for it", async () => {
    env.INNGEST_DEV = "http://127.0.0.1:8288/";
    const user = await createUser(database.db, { username: "carol" });
    const parent = await createChange(database.db, user);
    const delivery = await createDelivery(database.db, parent, {
      status: "failed",
      target: "carol@example.com",
      content: emailContent,
      runId: "01RUN",
      lastError: "503 from provider",
    });
    await database.db.deliveryAttempt.createMany({
      data: [
        {
          deliveryId: delivery.id,
          attempt: 2,
          outcome: "failed",
          error: "503 from provider",
          runId: "01RUN",
          createdAt: new Date("2026-05-01T10:00:05Z"),
        },
        {
          deliveryId: delivery.id,
          attempt: 1,
          outcome: "failed",
          error: "timeout",
          runId: "01RUN",
          createdAt: new Date("2026-05-01T10:00:00Z"),
        },
      ],
    });
    const detail = await (await adminCaller()).admin.deliveries.get({ id: delivery.id });
    expect(detail).toMatchObject({
      id: delivery.id,
      status: "failed",
      target: "c***@example.com",
      user: { id: user.id, username: "carol" },
      change: { id: parent.change.id, changedFields: ["username"], ipAddress: "203.0.113.7" },
      eventId: parent.eventId,
      runId: "01RUN",
      runPageUrl: "http://127.0.0.1:8288/run?runID=01RUN",
      email: emailContent,
      push: null,
      retryable: true,
      retryRequestedAt: null,
      retryRequests: [],
    });
    expect(detail.attemptLog.map((a) => [a.attempt, a.error])).toEqual([
      [1, "timeout"],
      [2, "503 from provider"],
    ]);
  });

  it("shows the push payload, and no Inngest page for the embedded executor (it has no UI)", async () => {
    env.INNGEST_DEV = "http://127.0.0.1:8288";
    env.INNGEST_RUN_PAGE_URL = "off";
    const user = await createUser(database.db);
    const parent = await createChange(database.db, user);
    const delivery = await createDelivery(database.db, parent, {
      channel: "push",
      content: pushContent,
      runId: "01RUN",
    });
    const detail = await (await adminCaller()).admin.deliveries.get({ id: delivery.id });
    expect(detail).toMatchObject({
      push: pushContent,
      email: null,
      runId: "01RUN",
      runPageUrl: null,
      retryable: false,
    });
  });

  it("says a delivery waiting after a transient failure is retrying: which try is next, of how many, and when", async () => {
    const user = await createUser(database.db);
    const parent = await createChange(database.db, user);
    const nextAttemptAt = new Date(Date.now() + 30_000);
    const delivery = await createDelivery(database.db, parent, {
      status: "queued",
      runId: "01RETRY",
      lastError: "Email provider answered 429: rate_limit_exceeded",
    });
    await database.db.delivery.update({ where: { id: delivery.id }, data: { maxAttempts: 6, nextAttemptAt } });
    // One try in an earlier run (before an admin retry) does not count against this run.
    await database.db.deliveryAttempt.createMany({
      data: [
        {
          deliveryId: delivery.id,
          attempt: 1,
          outcome: "failed",
          runId: "01EARLIER",
          providerStatus: 422,
          createdAt: new Date("2026-05-01T09:00:00Z"),
        },
        {
          deliveryId: delivery.id,
          attempt: 2,
          outcome: "queued",
          runId: "01RETRY",
          providerStatus: 429,
          startedAt: new Date("2026-05-01T10:00:00.000Z"),
          createdAt: new Date("2026-05-01T10:00:00.400Z"),
        },
      ],
    });
    const caller = await adminCaller();
    const detail = await caller.admin.deliveries.get({ id: delivery.id });
    expect(detail.retrying).toEqual({ nextAttempt: 2, maxAttempts: 6, nextAttemptAt });
    expect(detail.attemptLog.at(-1)).toMatchObject({ providerStatus: 429, durationMs: 400 });
    // The history row says the same.
    const [row] = (await caller.admin.deliveries.list({})).items;
    expect(row!.retrying).toEqual({ nextAttempt: 2, maxAttempts: 6, nextAttemptAt });

    // A queued delivery that has not failed yet is not retrying.
    await database.db.delivery.update({ where: { id: delivery.id }, data: { lastError: null } });
    expect((await caller.admin.deliveries.get({ id: delivery.id })).retrying).toBeNull();
  });

  it("answers NOT_FOUND for an unknown id", async () => {
    expect((await rejection((await adminCaller()).admin.deliveries.get({ id: "nope" }))).code).toBe("NOT_FOUND");
  });
});

describe("admin.changes.get", () => {
  it("returns the change with its event and every delivery it caused", async () => {
    const user = await createUser(database.db);
    const parent = await createChange(database.db, user);
    const email = await createDelivery(database.db, parent, { status: "sent", content: emailContent });
    const push = await createDelivery(database.db, parent, {
      channel: "push",
      status: "expired",
      content: pushContent,
    });
    await database.db.deliveryAttempt.create({
      data: { deliveryId: push.id, attempt: 1, outcome: "expired", error: "410 Gone" },
    });

    const change = await (await adminCaller()).admin.changes.get({ id: parent.change.id });
    expect(change).toMatchObject({
      id: parent.change.id,
      changedFields: ["username"],
      changes: { username: { from: "old_name", to: "new_name" } },
      user: { id: user.id },
      actor: { id: user.id },
      event: { id: parent.eventId, name: "user/profile.updated" },
    });
    expect(change.deliveries.map((d) => [d.id, d.channel, d.status, d.retryable])).toEqual([
      [email.id, "email", "sent", false],
      [push.id, "push", "expired", true],
    ]);
    expect(change.deliveries[0]!.email).toEqual(emailContent);
    expect(change.deliveries[1]!.push).toEqual(pushContent);
    expect(change.deliveries[1]!.attemptLog).toMatchObject([{ attempt: 1, outcome: "expired", error: "410 Gone" }]);
  });

  it("finds the change's event before any delivery exists", async () => {
    const user = await createUser(database.db);
    const parent = await createChange(database.db, user);
    const change = await (await adminCaller()).admin.changes.get({ id: parent.change.id });
    expect(change.deliveries).toEqual([]);
    expect(change.event?.id).toBe(parent.eventId);
  });

  it("answers NOT_FOUND for an unknown id", async () => {
    expect((await rejection((await adminCaller()).admin.changes.get({ id: "nope" }))).code).toBe("NOT_FOUND");
  });
});

describe("admin.summary", () => {
  it("counts deliveries per status created in the last hour and the last day", async () => {
    const user = await createUser(database.db);
    const parent = await createChange(database.db, user);
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    await createDelivery(database.db, parent, { status: "sent", createdAt: minutesAgo(5) });
    await createDelivery(database.db, parent, { status: "sent", createdAt: minutesAgo(50) });
    await createDelivery(database.db, parent, { status: "failed", createdAt: minutesAgo(10) });
    await createDelivery(database.db, parent, { status: "failed", createdAt: minutesAgo(120) });
    await createDelivery(database.db, parent, { status: "expired", createdAt: minutesAgo(23 * 60) });
    await createDelivery(database.db, parent, { status: "queued", createdAt: minutesAgo(25 * 60) });

    const summary = await (await adminCaller()).admin.summary();
    expect(summary.lastHour).toEqual({ queued: 0, sent: 2, failed: 1, expired: 0, skipped: 0, total: 3 });
    expect(summary.lastDay).toEqual({ queued: 0, sent: 2, failed: 2, expired: 1, skipped: 0, total: 5 });
  });

  it("counts deliveries per clock hour and status over the last 24 hours, every hour present", async () => {
    const user = await createUser(database.db);
    const parent = await createChange(database.db, user);
    const hour = 3_600_000;
    const thisHour = Math.floor(Date.now() / hour) * hour;
    await createDelivery(database.db, parent, { status: "sent", createdAt: new Date(thisHour + 1) });
    await createDelivery(database.db, parent, { status: "failed", createdAt: new Date(thisHour) });
    await createDelivery(database.db, parent, { status: "sent", createdAt: new Date(thisHour - 1) });
    await createDelivery(database.db, parent, { status: "skipped", createdAt: new Date(thisHour - 23 * hour) });
    // Just before the window.
    await createDelivery(database.db, parent, { status: "sent", createdAt: new Date(thisHour - 23 * hour - 1) });

    const { hourly } = await (await adminCaller()).admin.summary();
    expect(hourly).toHaveLength(24);
    expect(hourly.map((b) => b.hour.getTime())).toEqual(
      Array.from({ length: 24 }, (_, i) => thisHour - (23 - i) * hour),
    );
    expect(hourly.at(-1)).toMatchObject({ sent: 1, failed: 1, total: 2 });
    expect(hourly.at(-2)).toMatchObject({ sent: 1, total: 1 });
    expect(hourly[0]).toMatchObject({ skipped: 1, sent: 0, total: 1 });
    expect(hourly.reduce((sum, b) => sum + b.total, 0)).toBe(4);
  });
});
