import { randomUUID } from "node:crypto";
import { NonRetriableError } from "inngest";
import type { Database, DeliveryChannel, DeliveryStatus, Prisma, ProfileChange } from "@acme/db";
import { emailContentSchema, isEmailOnly, type AccountEventKind, type EmailContent } from "@acme/validators";

export interface PlannedDelivery {
  id: string;
  channel: DeliveryChannel;
  status: DeliveryStatus;
}

/**
 * One Delivery row per target of a change: the user's email and each push subscription (no push
 * row for a user without devices: having none is not a delivery that failed or was skipped).
 * Keyed on (change, channel, target), so a replayed plan step creates nothing twice.
 */
export async function planDeliveries(
  db: Database,
  input: { changeId: string; userId: string; eventId: string; runId: string; kind: AccountEventKind },
): Promise<PlannedDelivery[]> {
  // The change's owner, their email and devices (oldest first), in one statement: a row per device,
  // one with no device when there is none.
  const found = await db.$queryRaw<
    { ownerId: string; email: string; subscriptionId: string | null; endpoint: string | null }[]
  >`
    SELECT c."userId" AS "ownerId", u.email, s.id AS "subscriptionId", s.endpoint
    FROM "ProfileChange" c
    JOIN "User" u ON u.id = c."userId"
    LEFT JOIN "PushSubscription" s ON s."userId" = u.id
    WHERE c.id = ${input.changeId}
    ORDER BY s."createdAt" ASC, s.id`;
  const [first] = found;
  if (!first) return [];
  // The change row says whose it is; an event naming someone else is forged or corrupt.
  if (first.ownerId !== input.userId)
    throw new NonRetriableError(`Event for change ${input.changeId} names another user than the change's owner`);
  const user = {
    id: first.ownerId,
    email: first.email,
    pushSubscriptions: found.flatMap((r) =>
      r.subscriptionId && r.endpoint ? [{ id: r.subscriptionId, endpoint: r.endpoint }] : [],
    ),
  };
  const targets: {
    channel: DeliveryChannel;
    target: string;
    pushSubscriptionId: string | null;
    status: DeliveryStatus;
  }[] = [
    { channel: "email", target: user.email, pushSubscriptionId: null, status: "queued" },
    // A password reset link goes by email only: never onto a lock screen.
    ...(isEmailOnly(input.kind) ? [] : user.pushSubscriptions).map((s) => ({
      channel: "push" as const,
      target: s.endpoint,
      pushSubscriptionId: s.id,
      status: "queued" as const,
    })),
  ];

  // Insert what is missing, keep what a replayed plan already made (never updated), then read
  // them all back: two statements for any number of devices.
  await db.delivery.createMany({
    data: targets.map((t) => ({
      channel: t.channel,
      target: t.target,
      pushSubscriptionId: t.pushSubscriptionId,
      status: t.status,
      userId: user.id,
      profileChangeId: input.changeId,
      eventId: input.eventId,
      runId: input.runId,
    })),
    skipDuplicates: true,
  });
  const rows = await db.delivery.findMany({
    where: { profileChangeId: input.changeId, OR: targets.map((t) => ({ channel: t.channel, target: t.target })) },
    select: { id: true, channel: true, status: true, target: true },
  });
  const byTarget = new Map(rows.map((row) => [`${row.channel} ${row.target}`, row]));
  return targets.flatMap((t) => {
    const row = byTarget.get(`${t.channel} ${t.target}`);
    return row ? [{ id: row.id, channel: row.channel, status: row.status }] : [];
  });
}

/** What a send needs: the delivery, its change with the user's current username, and its device. */
export interface DeliveryToSend {
  id: string;
  channel: DeliveryChannel;
  status: DeliveryStatus;
  target: string;
  generation: number;
  attempts: number;
  content: unknown;
  providerMessageId: string | null;
  userId: string;
  openedAt: Date;
  change: Pick<ProfileChange, "id" | "kind" | "changes" | "details" | "createdAt" | "userAgent" | "ipAddress"> & {
    username: string;
  };
  /** Null for an email, or when the device unsubscribed since the plan. */
  subscription: { id: string; userId: string; endpoint: string; p256dh: string; auth: string } | null;
}

interface DeliveryToSendRow extends Omit<DeliveryToSend, "change" | "subscription"> {
  changeId: string;
  kind: AccountEventKind;
  changes: Prisma.JsonValue;
  details: Prisma.JsonValue;
  changedAt: Date;
  changeUserAgent: string | null;
  changeIpAddress: string | null;
  username: string;
  subscriptionId: string | null;
  subscriptionUserId: string | null;
  endpoint: string | null;
  p256dh: string | null;
  auth: string | null;
}

/** Everything a send reads, in one statement (it runs once per delivery, under load). */
export async function loadDeliveryToSend(db: Database, deliveryId: string): Promise<DeliveryToSend | null> {
  const [row] = await db.$queryRaw<DeliveryToSendRow[]>`
    SELECT d.id, d.channel::text AS channel, d.status::text AS status, d.target, d.generation, d.attempts, d.content,
           d."providerMessageId", d."userId", d."openedAt",
           c.id AS "changeId", c.kind::text AS kind, c.changes, c.details, c."createdAt" AS "changedAt",
           c."userAgent" AS "changeUserAgent", c."ipAddress" AS "changeIpAddress", u.username,
           s.id AS "subscriptionId", s."userId" AS "subscriptionUserId", s.endpoint, s.p256dh, s.auth
    FROM "Delivery" d
    JOIN "ProfileChange" c ON c.id = d."profileChangeId"
    JOIN "User" u ON u.id = c."userId"
    LEFT JOIN "PushSubscription" s ON s.id = d."pushSubscriptionId"
    WHERE d.id = ${deliveryId}`;
  if (!row) return null;
  const {
    changeId,
    kind,
    changes,
    details,
    changedAt,
    changeUserAgent,
    changeIpAddress,
    username,
    subscriptionId,
    subscriptionUserId,
    endpoint,
    p256dh,
    auth,
    ...delivery
  } = row;
  return {
    ...delivery,
    change: {
      id: changeId,
      kind,
      changes: changes ?? {},
      details,
      createdAt: changedAt,
      userAgent: changeUserAgent,
      ipAddress: changeIpAddress,
      username,
    },
    subscription:
      subscriptionId && subscriptionUserId && endpoint && p256dh && auth
        ? { id: subscriptionId, userId: subscriptionUserId, endpoint, p256dh, auth }
        : null,
  };
}

export interface AttemptOutcome {
  status: DeliveryStatus;
  error?: string | null;
  providerMessageId?: string | null;
  content?: Prisma.InputJsonValue;
  /** The provider's HTTP status; null when it was not reached. */
  providerStatus?: number | null;
  /** When the try began (the attempt row's createdAt is when it ended). */
  startedAt?: Date;
  /** How many tries the run gives this delivery. */
  maxAttempts?: number;
  /** Still queued: when the provider asked to be tried again (Retry-After), if it said. */
  nextAttemptAt?: Date | null;
}

/**
 * Stores the rendered email unless a try already did, and returns what is stored: the one body
 * every try of this delivery sends. One statement, so a concurrent try cannot pin another body.
 */
export async function pinEmailContent(db: Database, deliveryId: string, rendered: EmailContent): Promise<EmailContent> {
  const rows = await db.$queryRaw<{ content: unknown }[]>`
    UPDATE "Delivery" SET "content" = COALESCE("content", ${JSON.stringify(rendered)}::jsonb), "updatedAt" = now()
    WHERE "id" = ${deliveryId} RETURNING "content"`;
  return emailContentSchema.parse(rows[0]?.content);
}

/**
 * Records one try: the delivery's current state and a row in its attempt timeline (and, for a push
 * that arrived, the device's last success). "Still retrying" never overwrites a final state another
 * run or a failure handler already wrote. One statement: it runs for every try of every delivery.
 */
export async function recordAttempt(
  db: Database,
  deliveryId: string,
  attempt: number,
  runId: string,
  outcome: AttemptOutcome,
  reachedSubscriptionId: string | null = null,
) {
  const final = outcome.status !== "queued";
  const error = outcome.error ?? null;
  const setMessageId = outcome.providerMessageId !== undefined;
  const content = outcome.content === undefined ? null : JSON.stringify(outcome.content);
  const nextAttemptAt = final ? null : (outcome.nextAttemptAt ?? null);
  await db.$executeRaw`
    WITH delivery AS (
      UPDATE "Delivery" SET
        status = ${outcome.status}::"DeliveryStatus",
        attempts = ${attempt}::int,
        "runId" = ${runId}::text,
        "lastError" = ${error}::text,
        "providerMessageId" = CASE WHEN ${setMessageId}::boolean THEN ${outcome.providerMessageId ?? null}::text
                                   ELSE "providerMessageId" END,
        content = COALESCE(${content}::jsonb, content),
        "sentAt" = CASE WHEN ${outcome.status === "sent"}::boolean THEN now()
                        WHEN ${final}::boolean THEN NULL ELSE "sentAt" END,
        "maxAttempts" = COALESCE(${outcome.maxAttempts ?? null}::int, "maxAttempts"),
        "nextAttemptAt" = ${nextAttemptAt}::timestamp(3),
        "updatedAt" = now()
      WHERE id = ${deliveryId} AND (${final}::boolean OR status = 'queued')
    ), device AS (
      UPDATE "PushSubscription" SET "lastSuccessAt" = now() WHERE id = ${reachedSubscriptionId}::text
    )
    INSERT INTO "DeliveryAttempt" (id, "deliveryId", attempt, outcome, error, "providerStatus", "runId", "startedAt")
    VALUES (${randomUUID()}, ${deliveryId}, ${attempt}::int, ${outcome.status}::"DeliveryStatus", ${error}::text,
            ${outcome.providerStatus ?? null}::int, ${runId}::text, ${outcome.startedAt ?? null}::timestamp(3))`;
}

/**
 * After a run failed for good: what it left queued is failed. Scoped to what the run owned (its run
 * id, or the generation it was asked to send), so a later admin retry is not touched by this run's
 * late failure handler.
 */
export async function failUnsentDeliveries(
  db: Database,
  scope:
    { profileChangeId: string; runId: string } | { id: string; runId: string } | { id: string; generation: number },
  error: string,
): Promise<number> {
  const { count } = await db.delivery.updateMany({
    where: { ...scope, status: "queued" },
    data: { status: "failed", lastError: error.slice(0, 2000), nextAttemptAt: null },
  });
  return count;
}
