import { describe, expect, it } from "vitest";
import { reconcile, type ChaosObservations } from "./report";

function observations(overrides: Partial<ChaosObservations> = {}): ChaosObservations {
  return {
    changes: [
      { id: "c1", userId: "u1" },
      { id: "c2", userId: "u1" },
    ],
    devicesByUser: new Map([["u1", ["d1", "d2"]]]),
    emails: [
      { id: "m1", idempotencyKey: "profile-change/c1/email/0" },
      { id: "m2", idempotencyKey: "profile-change/c2/email/0" },
    ],
    pushes: [
      { subscriptionId: "d1", changeId: "c1" },
      { subscriptionId: "d2", changeId: "c1" },
      { subscriptionId: "d1", changeId: "c2" },
      { subscriptionId: "d2", changeId: "c2" },
    ],
    deliveries: [
      { profileChangeId: "c1", channel: "email", status: "sent" },
      { profileChangeId: "c2", channel: "email", status: "sent" },
    ],
    acknowledged: new Map([["u1", 2]]),
    ...overrides,
  };
}

describe("reconcile", () => {
  it("passes when every committed change reached every channel and device once", () => {
    const report = reconcile(observations());
    expect(report).toMatchObject({
      committed: 2,
      emails: { expected: 2, delivered: 2, lost: 0, duplicates: 0 },
      pushes: { expected: 4, delivered: 4, lost: 0, duplicateReceipts: 0 },
      stuck: 0,
      passed: true,
    });
  });

  it("fails on a lost email, a lost push, a duplicate email or a stuck delivery", () => {
    expect(
      reconcile(observations({ emails: [{ id: "m1", idempotencyKey: "profile-change/c1/email/0" }] })).passed,
    ).toBe(false);
    expect(reconcile(observations({ pushes: [] })).pushes.lost).toBe(4);
    const duplicate = reconcile(
      observations({
        emails: [...observations().emails, { id: "m3", idempotencyKey: "profile-change/c1/email/1" }],
      }),
    );
    expect(duplicate.emails.duplicates).toBe(1);
    expect(duplicate.passed).toBe(false);
    const stuck = reconcile(
      observations({ deliveries: [{ profileChangeId: "c1", channel: "push", status: "queued" }] }),
    );
    expect(stuck.stuck).toBe(2); // c1 still queued, c2 never planned
    expect(reconcile(observations({ unplannedNotices: 1 }))).toMatchObject({ stuck: 1, passed: false });
  });

  it("fails on a delivery given up as failed, since every injected fault is transient", () => {
    const report = reconcile(
      observations({
        deliveries: [
          { profileChangeId: "c1", channel: "email", status: "failed" },
          { profileChangeId: "c2", channel: "email", status: "sent" },
        ],
      }),
    );
    expect(report).toMatchObject({ failed: 1, stuck: 0, passed: false });
  });

  it("counts repeated push receipts without failing (the service worker drops them), and flags acknowledged updates that were lost", () => {
    const report = reconcile(
      observations({
        pushes: [...observations().pushes, { subscriptionId: "d1", changeId: "c1" }],
        acknowledged: new Map([["u1", 3]]),
      }),
    );
    expect(report.pushes.duplicateReceipts).toBe(1);
    expect(report.acknowledgedButLost).toBe(1);
    expect(report.passed).toBe(false);
  });
});
