import { NonRetriableError } from "inngest";
import {
  newRowId,
  Prisma,
  type Database,
  type DeliveryChannel,
  type DeliveryStatus,
  type ProfileChange,
} from "@acme/db";
import { emailContentSchema, isEmailOnly, type AccountEventKind, type EmailContent } from "@acme/validators";
import { paceCte, turnsFrom, type EmailTurn } from "./email-pace";

export interface PlannedDelivery {
  id: string;
  channel: DeliveryChannel;
  status: DeliveryStatus;
}

/**
 * One Delivery row per target of a change: the user's email and each push subscription (no push
 * row for a user without devices: having none is not a delivery that failed or was skipped).
 * Keyed on (change, channel, target), so a replayed plan step creates nothing twice. The email is
 * rendered here and pinned on its row as it is created, so every try sends the same body; its send
 * turn is taken in the same statement.
 */
export async function planDeliveries(
  db: Database,
  input: { changeId: string; userId: string; eventId: string; runId: string; kind: AccountEventKind },
  composeEmail: (change: NoticeChange, to: string) => Promise<EmailContent>,
  emailRatePerSecond: number,
): Promise<Plan> {
  // The change, its owner's email and devices (oldest first), in one statement: a row per device,
  // one with no device when there is none.
  const found = await db.$queryRaw<
    (NoticeChangeRow & { ownerId: string; email: string; subscriptionId: string | null; endpoint: string | null })[]
  >`
    SELECT c."userId" AS "ownerId", u.email, s.id AS "subscriptionId", s.endpoint, ${noticeChangeColumns}
    FROM "ProfileChange" c
    JOIN "User" u ON u.id = c."userId"
    LEFT JOIN "PushSubscription" s ON s."userId" = u.id
    WHERE c.id = ${input.changeId}
    ORDER BY s."createdAt" ASC, s.id`;
  const [first] = found;
  if (!first) return { planned: [], emailTurns: [] };
  // The change row says whose it is; an event naming someone else is forged or corrupt.
  if (first.ownerId !== input.userId)
    throw new NonRetriableError(`Event for change ${input.changeId} names another user than the change's owner`);
  const devices = isEmailOnly(input.kind)
    ? [] // A password reset link goes by email only: never onto a lock screen.
    : found.flatMap((r) => (r.subscriptionId && r.endpoint ? [{ id: r.subscriptionId, endpoint: r.endpoint }] : []));
  const targets = [
    {
      id: newRowId(),
      channel: "email",
      target: first.email,
      pushSubscriptionId: null,
      // A body that cannot be rendered does not keep the rows (and the pushes) from being planned: the
      // send renders it again, and its failure is recorded on the email's row for admins.
      content: await composeEmail(noticeChangeOf(first), first.email).catch(() => null),
    },
    ...devices.map((s) => ({
      id: newRowId(),
      channel: "push",
      target: s.endpoint,
      pushSubscriptionId: s.id,
      content: null,
    })),
  ];

  // One statement for any number of devices: inserts what is missing and returns every row, the
  // ones a replayed plan already made included (the no-op update only locks and returns them; a
  // row's state and pinned content are never changed here), and takes the queued email's turn.
  const rows = await db.$queryRaw<(PlannedDelivery & { paceFirst: Date | null; paceNow: Date | null })[]>`
    WITH planned AS (
      INSERT INTO "Delivery" (id, channel, target, "pushSubscriptionId", content, "userId", "profileChangeId",
                              "eventId", "runId", "updatedAt")
      SELECT t.id, t.channel, t.target, t."pushSubscriptionId", t.content, ${first.ownerId}, ${input.changeId},
             ${input.eventId}, ${input.runId}, now()
      FROM jsonb_to_recordset(${JSON.stringify(targets)}::jsonb)
        AS t(id text, channel "DeliveryChannel", target text, "pushSubscriptionId" text, content jsonb)
      ON CONFLICT ("profileChangeId", channel, target) DO UPDATE SET "profileChangeId" = EXCLUDED."profileChangeId"
      RETURNING id, channel::text AS channel, status::text AS status
    ),
    wanted AS (SELECT count(*)::int AS n FROM planned WHERE channel = 'email' AND status = 'queued'),
    ${paceCte(emailRatePerSecond)}
    SELECT p.id, p.channel, p.status, pace.first AS "paceFirst", pace.now AS "paceNow"
    FROM planned p LEFT JOIN pace ON true
    ORDER BY p.channel`;
  const planned = rows.map(({ id, channel, status }) => ({ id, channel, status }));
  const queuedEmails = planned.filter((d) => d.channel === "email" && d.status === "queued").map((d) => d.id);
  const pace = rows[0]?.paceFirst && rows[0].paceNow ? { first: rows[0].paceFirst, now: rows[0].paceNow } : undefined;
  return { planned, emailTurns: turnsFrom(queuedEmails, pace, emailRatePerSecond) };
}

/** The rows of a change's deliveries, and the turns taken for its queued emails. */
export interface Plan {
  planned: PlannedDelivery[];
  emailTurns: EmailTurn[];
}

/** What a notice says about its change: the change and the user's current username. */
export type NoticeChange = Pick<
  ProfileChange,
  "id" | "kind" | "changes" | "details" | "createdAt" | "userAgent" | "ipAddress"
> & { username: string };

interface NoticeChangeRow {
  changeId: string;
  kind: AccountEventKind;
  changes: Prisma.JsonValue;
  details: Prisma.JsonValue;
  changedAt: Date;
  changeUserAgent: string | null;
  changeIpAddress: string | null;
  username: string;
}

/** The columns of a NoticeChangeRow, from "ProfileChange" c and "User" u. */
const noticeChangeColumns = Prisma.sql`c.id AS "changeId", c.kind::text AS kind, c.changes, c.details,
  c."createdAt" AS "changedAt", c."userAgent" AS "changeUserAgent", c."ipAddress" AS "changeIpAddress", u.username`;

function noticeChangeOf(row: NoticeChangeRow): NoticeChange {
  return {
    id: row.changeId,
    kind: row.kind,
    changes: row.changes ?? {},
    details: row.details,
    createdAt: row.changedAt,
    userAgent: row.changeUserAgent,
    ipAddress: row.changeIpAddress,
    username: row.username,
  };
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
  change: NoticeChange;
  /** Null for an email, or when the device unsubscribed since the plan. */
  subscription: { id: string; userId: string; endpoint: string; p256dh: string; auth: string } | null;
}

interface DeliveryToSendRow extends Omit<DeliveryToSend, "change" | "subscription">, NoticeChangeRow {
  subscriptionId: string | null;
  subscriptionUserId: string | null;
  endpoint: string | null;
  p256dh: string | null;
  auth: string | null;
}

/** Everything the sends of one step read, in one statement (it runs for every step, under load). */
export async function loadDeliveriesToSend(db: Database, deliveryIds: readonly string[]): Promise<DeliveryToSend[]> {
  if (deliveryIds.length === 0) return [];
  const rows = await db.$queryRaw<DeliveryToSendRow[]>`
    SELECT d.id, d.channel::text AS channel, d.status::text AS status, d.target, d.generation, d.attempts, d.content,
           d."providerMessageId", d."userId", d."openedAt", ${noticeChangeColumns},
           s.id AS "subscriptionId", s."userId" AS "subscriptionUserId", s.endpoint, s.p256dh, s.auth
    FROM "Delivery" d
    JOIN "ProfileChange" c ON c.id = d."profileChangeId"
    JOIN "User" u ON u.id = c."userId"
    LEFT JOIN "PushSubscription" s ON s.id = d."pushSubscriptionId"
    WHERE d.id IN (${Prisma.join(deliveryIds)})`;
  return rows.map((row) => ({
    id: row.id,
    channel: row.channel,
    status: row.status,
    target: row.target,
    generation: row.generation,
    attempts: row.attempts,
    content: row.content,
    providerMessageId: row.providerMessageId,
    userId: row.userId,
    openedAt: row.openedAt,
    change: noticeChangeOf(row),
    subscription:
      row.subscriptionId && row.subscriptionUserId && row.endpoint && row.p256dh && row.auth
        ? {
            id: row.subscriptionId,
            userId: row.subscriptionUserId,
            endpoint: row.endpoint,
            p256dh: row.p256dh,
            auth: row.auth,
          }
        : null,
  }));
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
 * Stores the rendered email unless the plan or a try already did, and returns what is stored: the one body
 * every try of this delivery sends. One statement, so a concurrent try cannot pin another body.
 */
export async function pinEmailContent(db: Database, deliveryId: string, rendered: EmailContent): Promise<EmailContent> {
  const rows = await db.$queryRaw<{ content: unknown }[]>`
    UPDATE "Delivery" SET "content" = COALESCE("content", ${JSON.stringify(rendered)}::jsonb), "updatedAt" = now()
    WHERE "id" = ${deliveryId} RETURNING "content"`;
  return emailContentSchema.parse(rows[0]?.content);
}

/** One try of one delivery, as recorded. */
export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  runId: string;
  outcome: AttemptOutcome;
  /** A push that arrived: its device's last success is now. */
  reachedSubscriptionId?: string | null;
}

/**
 * Records tries: each delivery's current state and a row in its attempt timeline (and, for a push
 * that arrived, the device's last success). "Still retrying" never overwrites a final state another
 * run or a failure handler already wrote. One statement for all the tries of a step.
 */
export async function recordAttempts(db: Database, records: readonly AttemptRecord[]): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map(({ deliveryId, attempt, runId, outcome }) => {
    const final = outcome.status !== "queued";
    return {
      attemptId: newRowId(),
      deliveryId,
      attempt,
      runId,
      status: outcome.status,
      final,
      error: outcome.error ?? null,
      setMessageId: outcome.providerMessageId !== undefined,
      providerMessageId: outcome.providerMessageId ?? null,
      content: outcome.content ?? null,
      maxAttempts: outcome.maxAttempts ?? null,
      nextAttemptAt: final ? null : (outcome.nextAttemptAt ?? null),
      providerStatus: outcome.providerStatus ?? null,
      startedAt: outcome.startedAt ?? null,
    };
  });
  const reached = records.flatMap((r) => (r.reachedSubscriptionId ? [r.reachedSubscriptionId] : []));
  // Dates travel as ISO strings in UTC, which the timestamp(3) columns hold. The ids are also listed
  // as such: the planner cannot see how few rows jsonb_to_recordset yields, and would scan the tables.
  await db.$executeRaw`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS t(
        "attemptId" text, "deliveryId" text, attempt int, "runId" text, status "DeliveryStatus", final boolean,
        error text, "setMessageId" boolean, "providerMessageId" text, content jsonb, "maxAttempts" int,
        "nextAttemptAt" timestamp(3), "providerStatus" int, "startedAt" timestamp(3))
    ), delivery AS (
      UPDATE "Delivery" d SET
        status = i.status,
        attempts = i.attempt,
        "runId" = i."runId",
        "lastError" = i.error,
        "providerMessageId" = CASE WHEN i."setMessageId" THEN i."providerMessageId" ELSE d."providerMessageId" END,
        content = COALESCE(i.content, d.content),
        "sentAt" = CASE WHEN i.status = 'sent' THEN now() WHEN i.final THEN NULL ELSE d."sentAt" END,
        "maxAttempts" = COALESCE(i."maxAttempts", d."maxAttempts"),
        "nextAttemptAt" = i."nextAttemptAt",
        "updatedAt" = now()
      FROM input i
      WHERE d.id IN (${Prisma.join(records.map((r) => r.deliveryId))})
        AND d.id = i."deliveryId" AND (i.final OR d.status = 'queued')
    ), device AS (
      UPDATE "PushSubscription" s SET "lastSuccessAt" = now()
      WHERE s.id IN (${reached.length > 0 ? Prisma.join(reached) : Prisma.sql`NULL`})
    )
    INSERT INTO "DeliveryAttempt" (id, "deliveryId", attempt, outcome, error, "providerStatus", "runId", "startedAt")
    SELECT "attemptId", "deliveryId", attempt, status, error, "providerStatus", "runId", "startedAt" FROM input`;
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
