import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Prisma } from "@acme/db";
import { readSecureLinkToken } from "@acme/validators/secure-link";
import { deliver } from "../src/deliver";
import { DELIVERY_RETRIES } from "../src/functions/retries";
import { startHarness, waitFor, type Harness } from "./harness";

let h: Harness;
let seq = 0;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  h.mailbox.clearFailures();
  h.push.clearFailures();
});

/** A signed-up user with `devices` push subscriptions registered through the API. */
async function userWithDevices(devices: number) {
  seq += 1;
  const { userId, api } = await h.signUp(`person${seq}@example.com`, `person_${seq}`);
  const subscriptions = [];
  for (let i = 0; i < devices; i += 1) {
    const created = h.push.createSubscription({ applicationServerKey: h.vapidPublicKey });
    await api.push.subscribe.mutate(created.subscription);
    subscriptions.push(created);
  }
  await deviceNoticesSettled(userId, devices);
  return { userId, api, email: `person${seq}@example.com`, subscriptions };
}

/**
 * Each registered device is announced to the user (push_device_added): those notices are sent before a
 * test injects failures or counts messages, so they neither take an injected failure nor count.
 */
async function deviceNoticesSettled(userId: string, devices: number) {
  await waitFor(
    async () => {
      const notices = await h.database.db.profileChange.findMany({
        where: { userId, kind: "push_device_added" },
        include: { deliveries: true },
      });
      return (
        notices.length === devices &&
        notices.every((n) => n.deliveries.length > 0 && n.deliveries.every((d) => d.status !== "queued"))
      );
    },
    { what: `${devices} device notices sent` },
  );
}

const DEVICE_NOTICE = "A new device receives your notifications";
/** What a device received, without the device-added notices. */
const pushesTo = (subscriptionId: string) =>
  h.push.received(subscriptionId).filter((m) => (m.json as { title?: string } | null)?.title !== DEVICE_NOTICE);

async function deliveriesFor(changeId: string) {
  return h.database.db.delivery.findMany({
    where: { profileChangeId: changeId },
    orderBy: [{ channel: "asc" }, { target: "asc" }],
  });
}

async function settled(changeId: string, expected: number) {
  return waitFor(
    async () => {
      const rows = await deliveriesFor(changeId);
      return rows.length === expected && rows.every((r) => r.status !== "queued") ? rows : null;
    },
    { what: `${expected} settled deliveries of ${changeId}` },
  );
}

async function latestChangeId(userId: string) {
  return (await h.database.db.profileChange.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" } })).id;
}

const emailsTo = (email: string) =>
  h.mailbox.messages().filter((m) => m.to.includes(email) && m.subject !== DEVICE_NOTICE);

describe("user.update → executor → email and web push", () => {
  it("delivers one email and one push per device, recorded as sent", async () => {
    const person = await userWithDevices(2);
    const result = await person.api.user.update.mutate({ username: `renamed_${seq}`, phoneNumber: "(415) 555-0110" });
    expect(result.changed).toEqual(["username", "phoneNumber"]);
    const changeId = await latestChangeId(person.userId);

    const rows = await settled(changeId, 3);
    expect(rows.map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ["email", "sent", 1],
      ["push", "sent", 1],
      ["push", "sent", 1],
    ]);
    expect(rows.every((r) => r.providerMessageId && r.sentAt && r.runId)).toBe(true);

    const [email] = emailsTo(person.email);
    expect(emailsTo(person.email)).toHaveLength(1);
    expect(email!.subject).toBe("Your profile has been updated");
    // The "this wasn't me" link, signed for this change; what is stored has a slot where its token goes.
    const token = new RegExp(`${h.apiUrl}/secure#([A-Za-z0-9._-]+)`).exec(email!.text ?? "")?.[1];
    expect(token && readSecureLinkToken(h.config.secureLinks.secret, token)).toBe(changeId);
    expect(email!.html).toContain(`/secure#${token}`);
    expect(JSON.stringify(rows[0]!.content)).not.toContain(token);
    expect(JSON.stringify(rows[0]!.content)).toContain("/secure#SECURE_LINK_TOKEN");
    expect(email!.text).toContain("Phone number ending in 10 added");
    expect(email!.html).not.toContain("4155550110");
    expect(email!.idempotencyKey).toBe(`profile-change/${changeId}/email/0`);

    for (const device of person.subscriptions) {
      const received = pushesTo(device.id);
      expect(received).toHaveLength(1);
      expect(received[0]!.json).toMatchObject({
        title: "Your profile has been updated",
        body: expect.stringContaining("phone number ending in 10 added"),
        url: `${h.apiUrl}/secure#${token}`,
      });
      expect(received[0]!.urgency).toBe("high");
      expect(received[0]!.topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
      expect(received[0]!.vapid.subject).toBe("mailto:ops@acme.dev");
    }
    const outbox = await h.database.db.outboxEvent.findFirstOrThrow({
      where: { payload: { path: ["changeId"], equals: changeId } },
    });
    expect(outbox.dispatchedAt).not.toBeNull();
    expect(rows[0]!.eventId).toBe(outbox.id);
  });

  it("sends the email as first rendered when a crash lost the record of an accepted send, though the user renamed since", async () => {
    const person = await userWithDevices(0);
    const gate = h.mailbox.pauseSends();
    await person.api.user.update.mutate({ phoneNumber: "(415) 555-0111" });
    const changeId = await latestChangeId(person.userId);
    await gate.held(1);
    // The row as it is while the provider accepts: what a crash right after the send leaves behind.
    const atSend = await h.database.db.delivery.findFirstOrThrow({
      where: { profileChangeId: changeId, channel: "email" },
    });
    gate.release();
    const sent = await waitFor(
      async () => {
        const row = await h.database.db.delivery.findUniqueOrThrow({ where: { id: atSend.id } });
        return row.status === "sent" ? row : null;
      },
      { what: "the first email sent" },
    );
    await person.api.user.update.mutate({ username: `renamed_after_${seq}` });
    await waitFor(async () => emailsTo(person.email).length === 2 || null, { what: "the rename's email" });

    await h.database.db.delivery.update({
      where: { id: atSend.id },
      data: {
        status: "queued",
        attempts: atSend.attempts,
        sentAt: null,
        providerMessageId: null,
        content: atSend.content ?? Prisma.DbNull,
      },
    });
    const deps = h.jobs.createJobDeps(h.database.db, h.config, h.push.agent);
    const replayed = await deliver(deps, atSend.id, {
      runId: "after-crash",
      attempt: 1,
      maxAttempts: DELIVERY_RETRIES + 1,
      generation: atSend.generation,
    });

    expect(replayed).toMatchObject({ status: "sent", providerMessageId: sent.providerMessageId });
    expect(emailsTo(person.email)).toHaveLength(2);
  });

  it("renders and pins the body of an email row planned without one (by an earlier version) before sending it", async () => {
    const person = await userWithDevices(0);
    await person.api.user.update.mutate({ username: `unpinned_${seq}` });
    const changeId = await latestChangeId(person.userId);
    const [email] = await settled(changeId, 1);
    const first = await h.database.db.delivery.findUniqueOrThrow({ where: { id: email!.id } });
    // Reopened as a new generation with no body, as a row from before bodies were pinned at planning.
    await h.database.db.delivery.update({
      where: { id: first.id },
      data: { status: "queued", generation: 1, sentAt: null, content: Prisma.DbNull },
    });
    const deps = h.jobs.createJobDeps(h.database.db, h.config, h.push.agent);
    const result = await deliver(deps, first.id, {
      runId: "unpinned",
      attempt: 0,
      maxAttempts: DELIVERY_RETRIES + 1,
      generation: 1,
    });

    expect(result.status).toBe("sent");
    const row = await h.database.db.delivery.findUniqueOrThrow({ where: { id: first.id } });
    expect(row.content).toEqual(first.content);
    expect(
      emailsTo(person.email)
        .map((m) => m.idempotencyKey)
        .sort(),
    ).toEqual([`profile-change/${changeId}/email/0`, `profile-change/${changeId}/email/1`]);
  });

  it("plans no push delivery for a user without devices (not an error, nothing skipped)", async () => {
    const person = await userWithDevices(0);
    await person.api.user.update.mutate({ username: `lonely_${seq}` });
    const changeId = await latestChangeId(person.userId);
    const rows = await settled(changeId, 1);
    expect(rows.map((r) => [r.channel, r.status])).toEqual([["email", "sent"]]);
    // The run has finished planning and sending: still only the email.
    expect(await h.database.db.delivery.count({ where: { profileChangeId: changeId } })).toBe(1);
  });

  it("retries transient failures (5xx, 429 with Retry-After) and still delivers exactly once per target", async () => {
    const person = await userWithDevices(2);
    const [a, b] = person.subscriptions;
    h.mailbox.failNext(2, { status: 500 });
    h.push.failNext(a!.id, 1, 503);
    h.push.failNext(b!.id, 1, 429, { retryAfterSeconds: 1 });
    await person.api.user.update.mutate({ phoneNumber: "+44 20 7946 0958" });
    const changeId = await latestChangeId(person.userId);

    const rows = await settled(changeId, 3);
    expect(rows.map((r) => [r.channel, r.status, r.attempts])).toEqual(
      expect.arrayContaining([
        ["email", "sent", 3],
        ["push", "sent", 2],
        ["push", "sent", 2],
      ]),
    );
    expect(emailsTo(person.email)).toHaveLength(1);
    expect(pushesTo(a!.id)).toHaveLength(1);
    expect(pushesTo(b!.id)).toHaveLength(1);
    const timeline = await h.database.db.deliveryAttempt.findMany({
      where: { delivery: { profileChangeId: changeId, channel: "email" } },
      orderBy: { attempt: "asc" },
    });
    expect(timeline.map((t) => t.outcome)).toEqual(["queued", "queued", "sent"]);
    expect(timeline[0]!.error).toMatch(/500/);
  });

  it("records what the admin timeline shows: each try's start, provider status, the run's budget and Retry-After", async () => {
    const person = await userWithDevices(1);
    const [device] = person.subscriptions;
    h.push.failNext(device!.id, 1, 429, { retryAfterSeconds: 2 });
    const before = Date.now();
    await person.api.user.update.mutate({ username: `timed_${seq}` });
    const changeId = await latestChangeId(person.userId);

    // Between the tries the delivery says it is waiting, and until when the provider asked it to.
    const waiting = await waitFor(
      async () =>
        (await deliveriesFor(changeId)).find((r) => r.channel === "push" && r.status === "queued" && r.lastError),
      { what: "the push delivery waiting for its second try" },
    );
    expect(waiting.maxAttempts).toBe(DELIVERY_RETRIES + 1);
    expect(waiting.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before + 2_000);

    const rows = await settled(changeId, 2);
    const push = rows.find((r) => r.channel === "push")!;
    expect(push).toMatchObject({ status: "sent", nextAttemptAt: null, maxAttempts: DELIVERY_RETRIES + 1 });
    const tries = await h.database.db.deliveryAttempt.findMany({
      where: { deliveryId: push.id },
      orderBy: { attempt: "asc" },
    });
    expect(tries.map((t) => [t.outcome, t.providerStatus])).toEqual([
      ["queued", 429],
      ["sent", 201],
    ]);
    for (const t of tries) expect(t.startedAt!.getTime()).toBeLessThanOrEqual(t.createdAt.getTime());
    // The second try began only after the provider's Retry-After.
    expect(tries[1]!.startedAt!.getTime() - tries[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(1_900);
    // The device's last success is the try that reached it, not the refused one.
    const reached = await h.database.db.pushSubscription.findUniqueOrThrow({ where: { id: push.pushSubscriptionId! } });
    expect(reached.lastSuccessAt!.getTime()).toBeGreaterThanOrEqual(tries[1]!.startedAt!.getTime());
    expect(reached.lastSuccessAt!.getTime()).toBeLessThanOrEqual(push.sentAt!.getTime() + 1_000);
    const email = await h.database.db.deliveryAttempt.findFirstOrThrow({
      where: { delivery: { profileChangeId: changeId, channel: "email" } },
    });
    expect(email.providerStatus).toBe(200);
  });

  it("marks a delivery expired and deletes the subscription when the push service answers 410", async () => {
    const person = await userWithDevices(2);
    const [gone, alive] = person.subscriptions;
    h.push.expire(gone!.id);
    await person.api.user.update.mutate({ username: `pruned_${seq}` });
    const rows = await settled(await latestChangeId(person.userId), 3);
    const byEndpoint = new Map(rows.map((r) => [r.target, r]));
    expect(byEndpoint.get(gone!.subscription.endpoint)).toMatchObject({
      status: "expired",
      attempts: 1,
      lastError: expect.stringMatching(/410/),
    });
    expect(byEndpoint.get(alive!.subscription.endpoint)).toMatchObject({ status: "sent" });
    const remaining = await h.database.db.pushSubscription.findMany({ where: { userId: person.userId } });
    expect(remaining.map((s) => s.endpoint)).toEqual([alive!.subscription.endpoint]);
  });

  it("does not retry a permanent failure (422), and an admin retry then sends it once", async () => {
    const person = await userWithDevices(0);
    h.mailbox.failNext(1, { status: 422, name: "validation_error", message: "Invalid `to` field." });
    await person.api.user.update.mutate({ username: `rejected_${seq}` });
    const changeId = await latestChangeId(person.userId);
    const rows = await settled(changeId, 1);
    const email = rows.find((r) => r.channel === "email")!;
    expect(email).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: expect.stringMatching(/422.*validation_error/),
    });
    expect(emailsTo(person.email)).toHaveLength(0);

    // What admin.deliveries.retry writes: a request row and the event that carries it.
    const request = await h.database.db.deliveryRetryRequest.create({ data: { deliveryId: email.id } });
    await h.jobs.inngest.send({
      name: "notification/delivery.retry",
      data: { requestId: request.id, deliveryId: email.id, requestedBy: "test-admin" },
    });
    const retried = await waitFor(
      async () => {
        const row = await h.database.db.delivery.findUniqueOrThrow({ where: { id: email.id } });
        return row.status === "sent" ? row : null;
      },
      { what: "the retried email to be sent" },
    );
    expect(retried).toMatchObject({ generation: 1, attempts: 2, lastError: null });
    expect(await h.database.db.deliveryRetryRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      takenAt: expect.any(Date),
      reopened: true,
      runId: expect.any(String),
    });
    expect(emailsTo(person.email)).toHaveLength(1);
    expect(emailsTo(person.email)[0]!.idempotencyKey).toBe(`profile-change/${changeId}/email/1`);
  });

  it("runs nothing twice when the same change is published again", async () => {
    const person = await userWithDevices(1);
    await person.api.user.update.mutate({ username: `replayed_${seq}` });
    const changeId = await latestChangeId(person.userId);
    await settled(changeId, 2);
    const outbox = await h.database.db.outboxEvent.findFirstOrThrow({
      where: { payload: { path: ["changeId"], equals: changeId } },
    });

    // The relay re-publishing the same row (same event id), and a different event for the same change.
    await h.jobs
      .createInngestPublisher()
      .publish([{ id: outbox.id, name: outbox.name, data: outbox.payload as Record<string, unknown>, ts: Date.now() }]);
    await h.jobs.inngest.send({
      id: `other-${outbox.id}`,
      name: outbox.name,
      data: outbox.payload as Record<string, unknown>,
    });
    // The executor decides which runs an event starts as it accepts it: once both sends returned,
    // every run this change will ever have exists. Wait for them to finish, then count.
    const runs = await waitFor(
      async () => {
        const rows = await h.database.db.$queryRaw<{ function_slug: string; status: string }[]>`
          SELECT function_slug, status FROM inngest_executor.runs
          WHERE event->'data'->>'changeId' = ${changeId}
             OR event->'data'->>'deliveryId' IN (SELECT id FROM "Delivery" WHERE "profileChangeId" = ${changeId})`;
        return rows.every((r) => r.status === "Completed" || r.status === "Failed") ? rows : null;
      },
      { what: "the change's runs to finish" },
    );
    // One run per change: its email is sent in the notification run, in its turn.
    expect(runs.map((r) => r.function_slug.replace(/^profile-notify-/, ""))).toEqual(["notify-profile-updated"]);
    expect(emailsTo(person.email)).toHaveLength(1);
    expect(pushesTo(person.subscriptions[0]!.id)).toHaveLength(1);
    const rows = await deliveriesFor(changeId);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
  });

  it("still sends an email an earlier version queued for send-email (notification/email.requested), once", async () => {
    const person = await userWithDevices(0);
    await person.api.user.update.mutate({ username: `queued_${seq}` });
    const changeId = await latestChangeId(person.userId);
    const [email] = await settled(changeId, 1);
    // As an earlier version's admin retry left it: reopened as generation 1 and handed to send-email.
    await h.database.db.delivery.update({
      where: { id: email!.id },
      data: { status: "queued", generation: 1, sentAt: null },
    });
    const request = { name: "notification/email.requested", data: { deliveryId: email!.id, generation: 1 } };
    await h.jobs.inngest.send({ id: `email/${email!.id}/1`, ...request });
    await h.jobs.inngest.send({ id: `email/${email!.id}/1/again`, ...request });
    await settled(changeId, 1);
    await waitFor(
      async () => {
        const rows = await h.database.db.$queryRaw<{ status: string }[]>`
          SELECT status FROM inngest_executor.runs WHERE event->'data'->>'deliveryId' = ${email!.id}`;
        return rows.length === 2 && rows.every((r) => r.status === "Completed") ? rows : null;
      },
      { what: "both send-email runs to finish" },
    );
    expect(
      emailsTo(person.email)
        .map((m) => m.idempotencyKey)
        .sort(),
    ).toEqual([`profile-change/${changeId}/email/0`, `profile-change/${changeId}/email/1`]);
  });
});
