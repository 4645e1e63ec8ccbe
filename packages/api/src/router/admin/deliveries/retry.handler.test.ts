import { describe, expect, it } from "vitest";
import { deliveryRetryEventName } from "@acme/validators";
import { callerFor, createUser, useTestDatabase } from "../../../test-utils";
import { createChange, createDelivery, rejection } from "../test-helpers";

const database = useTestDatabase();

async function setup() {
  const admin = await createUser(database.db, { role: "admin" });
  const user = await createUser(database.db);
  const parent = await createChange(database.db, user);
  return { admin, user, parent, ...callerFor(database.db, admin) };
}

const retryEvents = () =>
  database.db.outboxEvent.findMany({ where: { name: deliveryRetryEventName }, orderBy: { createdAt: "asc" } });

describe("admin.deliveries.retry", () => {
  it.each(["failed", "expired"] as const)(
    "queues a %s delivery: exactly one outbox event, dispatched after commit",
    async (status) => {
      const { admin, parent, caller, dispatched } = await setup();
      const delivery = await createDelivery(database.db, parent, { status, lastError: "boom" });

      const result = await caller.admin.deliveries.retry({ id: delivery.id });

      const events = await retryEvents();
      const requests = await database.db.deliveryRetryRequest.findMany();
      expect(requests).toEqual([
        expect.objectContaining({ deliveryId: delivery.id, requestedById: admin.id, takenAt: null, reopened: null }),
      ]);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        name: "notification/delivery.retry",
        subjectId: requests[0]!.id,
        payload: { requestId: requests[0]!.id, deliveryId: delivery.id, requestedBy: admin.id },
        dispatchedAt: null,
      });
      expect(result).toEqual({
        deliveryId: delivery.id,
        requestId: requests[0]!.id,
        requestedAt: requests[0]!.requestedAt,
      });
      expect(dispatched).toEqual([events[0]!.id]);
      // The delivery itself is left for the retry function to reset.
      expect(await database.db.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
        status,
        generation: 0,
        lastError: "boom",
      });
    },
  );

  it.each(["sent", "queued", "skipped"] as const)(
    "refuses a %s delivery with CONFLICT and writes nothing",
    async (status) => {
      const { parent, caller, dispatched } = await setup();
      const delivery = await createDelivery(database.db, parent, { status });
      const error = await rejection(caller.admin.deliveries.retry({ id: delivery.id }));
      expect(error.code).toBe("CONFLICT");
      expect(error.message).toBe(`This delivery is ${status}; only failed or expired deliveries can be retried`);
      expect(await retryEvents()).toEqual([]);
      expect(dispatched).toEqual([]);
    },
  );

  it("answers NOT_FOUND for an unknown delivery", async () => {
    const { caller } = await setup();
    expect((await rejection(caller.admin.deliveries.retry({ id: "no-such-delivery" }))).code).toBe("NOT_FOUND");
  });

  it("queues one retry when asked twice at once (double click), and shows it as requested", async () => {
    const { parent, caller, dispatched } = await setup();
    const delivery = await createDelivery(database.db, parent, { status: "failed" });
    const results = await Promise.allSettled([
      caller.admin.deliveries.retry({ id: delivery.id }),
      caller.admin.deliveries.retry({ id: delivery.id }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
    expect(rejected.reason).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/already requested/) });
    expect(await retryEvents()).toHaveLength(1);
    expect(dispatched).toHaveLength(1);

    const [row] = (await caller.admin.deliveries.list({})).items;
    expect(row!.retryRequestedAt).toEqual((await database.db.deliveryRetryRequest.findFirstOrThrow()).requestedAt);
    const detail = await caller.admin.deliveries.get({ id: delivery.id });
    expect(detail.retryRequestedAt).not.toBeNull();
    expect(detail.retryRequests).toHaveLength(1);
  });

  it("keeps a request pending until the retry function takes it, however long that takes, then allows another", async () => {
    const { parent, caller } = await setup();
    const delivery = await createDelivery(database.db, parent, { status: "failed" });
    await caller.admin.deliveries.retry({ id: delivery.id });

    // No time-based guess: an hour later the request still waits for the retry function.
    await database.db.deliveryRetryRequest.updateMany({ data: { requestedAt: new Date(Date.now() - 3_600_000) } });
    const waiting = await rejection(caller.admin.deliveries.retry({ id: delivery.id }));
    expect(waiting).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/already requested/) });
    expect((await caller.admin.deliveries.get({ id: delivery.id })).retryRequestedAt).not.toBeNull();

    // The retry function takes it (and here the delivery fails again): a new request is allowed.
    await database.db.deliveryRetryRequest.updateMany({ data: { takenAt: new Date(), reopened: true } });
    expect((await caller.admin.deliveries.get({ id: delivery.id })).retryRequestedAt).toBeNull();
    await caller.admin.deliveries.retry({ id: delivery.id });
    expect(await retryEvents()).toHaveLength(2);
    expect((await caller.admin.deliveries.get({ id: delivery.id })).retryRequests).toHaveLength(2);
  });

  it("leaves no outbox row when the transaction fails", async () => {
    const { parent, caller, dispatched } = await setup();
    const delivery = await createDelivery(database.db, parent, { status: "failed" });
    await database.db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION reject_outbox() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'outbox is unavailable'; END $$ LANGUAGE plpgsql`);
    await database.db.$executeRawUnsafe(
      `CREATE TRIGGER reject_outbox BEFORE INSERT ON "OutboxEvent" FOR EACH ROW EXECUTE FUNCTION reject_outbox()`,
    );
    try {
      await expect(caller.admin.deliveries.retry({ id: delivery.id })).rejects.toThrow(/outbox is unavailable/);
    } finally {
      await database.db.$executeRawUnsafe(`DROP TRIGGER reject_outbox ON "OutboxEvent"`);
    }
    expect(await retryEvents()).toEqual([]);
    expect(dispatched).toEqual([]);
  });
});

describe("admin.deliveries.retryMatching", () => {
  it("queues every failed delivery matching the filters, one event each, and reports the count", async () => {
    const { admin, user, parent, caller, dispatched } = await setup();
    const failedEmail = await createDelivery(database.db, parent, { status: "failed" });
    const failedPush = await createDelivery(database.db, parent, { status: "failed", channel: "push" });
    await createDelivery(database.db, parent, { status: "expired", channel: "push" });
    await createDelivery(database.db, parent, { status: "sent" });
    const other = await createUser(database.db);
    const otherFailed = await createDelivery(database.db, await createChange(database.db, other), { status: "failed" });

    const result = await caller.admin.deliveries.retryMatching({ search: user.username });
    expect(result).toEqual({ queued: 2, alreadyRequested: 0, skipped: 0, hasMore: false, statuses: ["failed"] });
    const events = await retryEvents();
    expect(events.map((e) => (e.payload as { deliveryId: string }).deliveryId).sort()).toEqual(
      [failedEmail.id, failedPush.id].sort(),
    );
    expect(events.every((e) => (e.payload as { requestedBy: string }).requestedBy === admin.id)).toBe(true);
    expect(dispatched.sort()).toEqual(events.map((e) => e.id).sort());

    // Asking again right away queues nothing new: those retries are already waiting.
    expect(await caller.admin.deliveries.retryMatching({ search: user.username })).toMatchObject({
      queued: 0,
      alreadyRequested: 2,
    });
    expect(await caller.admin.deliveries.retryMatching({ channel: "email" })).toMatchObject({
      queued: 1,
      alreadyRequested: 1,
    });
    expect((await retryEvents()).map((e) => (e.payload as { deliveryId: string }).deliveryId)).toContain(
      otherFailed.id,
    );
  });

  it("retries expired deliveries only when the filter asks for them", async () => {
    const { parent, caller } = await setup();
    const expired = await createDelivery(database.db, parent, { status: "expired", channel: "push" });
    await createDelivery(database.db, parent, { status: "failed" });
    expect(await caller.admin.deliveries.retryMatching({ status: "expired" })).toMatchObject({
      queued: 1,
      statuses: ["expired"],
    });
    expect((await retryEvents()).map((e) => (e.payload as { deliveryId: string }).deliveryId)).toEqual([expired.id]);
  });

  it("refuses a filter on a status that cannot be retried", async () => {
    const { caller } = await setup();
    const error = await rejection(caller.admin.deliveries.retryMatching({ status: "sent" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/Only failed or expired/);
  });

  it("is bounded per call, newest first, and says when more match", async () => {
    const { parent, caller } = await setup();
    const rows = [];
    for (let i = 0; i < 5; i++)
      rows.push(
        await createDelivery(database.db, parent, { status: "failed", createdAt: new Date(Date.UTC(2026, 0, 1, i)) }),
      );
    expect(await caller.admin.deliveries.retryMatching({ limit: 3 })).toMatchObject({ queued: 3, hasMore: true });
    const queuedIds = (await retryEvents()).map((e) => (e.payload as { deliveryId: string }).deliveryId).sort();
    expect(queuedIds).toEqual(
      rows
        .slice(2)
        .map((r) => r.id)
        .sort(),
    );
    expect(await caller.admin.deliveries.retryMatching({ limit: 500 })).toMatchObject({
      queued: 2,
      alreadyRequested: 3,
      hasMore: false,
    });
  });

  it("rejects a limit above 500", async () => {
    const { caller } = await setup();
    expect((await rejection(caller.admin.deliveries.retryMatching({ limit: 501 }))).code).toBe("BAD_REQUEST");
  });
});

describe("admin.deliveries.retryPreview", () => {
  it("says how many deliveries match, how many one click queues, and how many already wait — and writes nothing", async () => {
    const { parent, caller } = await setup();
    const failed = [];
    for (let i = 0; i < 4; i++)
      failed.push(
        await createDelivery(database.db, parent, { status: "failed", createdAt: new Date(Date.UTC(2026, 0, 1, i)) }),
      );
    await createDelivery(database.db, parent, { status: "expired" });
    await createDelivery(database.db, parent, { status: "sent" });
    await caller.admin.deliveries.retry({ id: failed[3]!.id });
    const eventsBefore = (await retryEvents()).length;

    expect(await caller.admin.deliveries.retryPreview({ limit: 3 })).toEqual({
      statuses: ["failed"],
      matching: 4,
      matchingCapped: false,
      batch: 3,
      alreadyRequested: 1,
      limit: 3,
    });
    expect(await caller.admin.deliveries.retryPreview({ status: "expired" })).toMatchObject({
      statuses: ["expired"],
      matching: 1,
      batch: 1,
      alreadyRequested: 0,
    });
    expect((await rejection(caller.admin.deliveries.retryPreview({ status: "sent" }))).code).toBe("BAD_REQUEST");
    expect(await retryEvents()).toHaveLength(eventsBefore);
  });
});
