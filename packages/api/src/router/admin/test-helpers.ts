import type { Database, DeliveryChannel, DeliveryStatus } from "@acme/db";

type UserRow = { id: string; email: string };

/** A profile change of `user` (what user.update writes), with its outbox event. */
export async function createChange(db: Database, user: UserRow, overrides: { createdAt?: Date } = {}) {
  const change = await db.profileChange.create({
    data: {
      userId: user.id,
      actorId: user.id,
      changedFields: ["username"],
      changes: { username: { from: "old_name", to: "new_name" } },
      ipAddress: "203.0.113.7",
      userAgent: "vitest",
      createdAt: overrides.createdAt,
    },
  });
  const event = await db.outboxEvent.create({
    data: {
      name: "user/profile.updated",
      subjectId: change.id,
      payload: { changeId: change.id, userId: user.id, changedFields: ["username"] },
      dispatchedAt: new Date(),
    },
  });
  return { change, eventId: event.id };
}

let targetCounter = 0;

/** A Delivery row as the delivery functions leave it. */
export async function createDelivery(
  db: Database,
  parent: { change: { id: string; userId: string }; eventId: string },
  overrides: {
    channel?: DeliveryChannel;
    status?: DeliveryStatus;
    target?: string;
    createdAt?: Date;
    updatedAt?: Date;
    content?: object;
    runId?: string;
    lastError?: string;
    providerMessageId?: string;
  } = {},
) {
  targetCounter += 1;
  const channel = overrides.channel ?? "email";
  return db.delivery.create({
    data: {
      channel,
      status: overrides.status ?? "sent",
      target:
        overrides.target ??
        (channel === "email"
          ? `someone${targetCounter}@example.test`
          : `https://push.example.test/send/endpoint-${targetCounter}`),
      userId: parent.change.userId,
      profileChangeId: parent.change.id,
      eventId: parent.eventId,
      runId: overrides.runId ?? null,
      attempts: 1,
      lastError: overrides.lastError ?? null,
      providerMessageId: overrides.providerMessageId ?? null,
      content: overrides.content,
      createdAt: overrides.createdAt,
      updatedAt: overrides.updatedAt,
    },
  });
}

export { rejection } from "../../test-utils";
