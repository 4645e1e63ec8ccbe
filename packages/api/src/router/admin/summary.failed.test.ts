import { describe, expect, it } from "vitest";
import { callerFor, createUser, useTestDatabase } from "../../test-utils";
import { createChange, createDelivery } from "./test-helpers";

const database = useTestDatabase();

describe("admin.summary: failed deliveries awaiting an admin", () => {
  it("counts every failed delivery, however old, except those with a retry waiting", async () => {
    const admin = await createUser(database.db, { role: "admin" });
    const { caller } = callerFor(database.db, admin);
    const parent = await createChange(database.db, admin);
    const weekAgo = new Date(Date.now() - 7 * 24 * 3600_000);
    await createDelivery(database.db, parent, { status: "failed", createdAt: weekAgo });
    await createDelivery(database.db, parent, { status: "failed" });
    await createDelivery(database.db, parent, { status: "sent" });
    await createDelivery(database.db, parent, { status: "expired" });
    const retried = await createDelivery(database.db, parent, { status: "failed" });
    expect((await caller.admin.summary()).failedAwaitingAction).toBe(3);

    await caller.admin.deliveries.retry({ id: retried.id });
    const summary = await caller.admin.summary();
    expect(summary.failedAwaitingAction).toBe(2);
    // The week-old failure is outside the day's counts, not outside the alert.
    expect(summary.lastDay.failed).toBe(2);
  });
});
