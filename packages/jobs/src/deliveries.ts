import { NonRetriableError } from "inngest";
import type { Database, DeliveryChannel, DeliveryStatus, Prisma } from "@acme/db";
import { emailContentSchema, isEmailOnly, type AccountEventKind, type EmailContent } from "@acme/validators";

export interface PlannedDelivery {
  id: string;
  channel: DeliveryChannel;
  status: DeliveryStatus;
}

/**
 * One Delivery row per target of a change: the user's email and each push subscription (no push
 * row for a user without devices: having none is not a delivery that failed or was skipped).
 * Upserted on (change, channel, target), so a replayed plan step creates nothing twice.
 */
export async function planDeliveries(
  db: Database,
  input: { changeId: string; userId: string; eventId: string; runId: string; kind: AccountEventKind },
): Promise<PlannedDelivery[]> {
  // The change row says whose it is; an event naming someone else is forged or corrupt.
  const change = await db.profileChange.findUnique({ where: { id: input.changeId }, select: { userId: true } });
  if (!change) return [];
  if (change.userId !== input.userId)
    throw new NonRetriableError(`Event for change ${input.changeId} names another user than the change's owner`);
  const user = await db.user.findUnique({
    where: { id: input.userId },
    include: { pushSubscriptions: { orderBy: { createdAt: "asc" } } },
  });
  if (!user) return [];
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

  const planned: PlannedDelivery[] = [];
  for (const t of targets) {
    const row = await db.delivery.upsert({
      where: {
        profileChangeId_channel_target: { profileChangeId: input.changeId, channel: t.channel, target: t.target },
      },
      create: {
        channel: t.channel,
        target: t.target,
        pushSubscriptionId: t.pushSubscriptionId,
        status: t.status,
        userId: user.id,
        profileChangeId: input.changeId,
        eventId: input.eventId,
        runId: input.runId,
      },
      update: {},
      select: { id: true, channel: true, status: true },
    });
    planned.push(row);
  }
  return planned;
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
 * Records one try: the delivery's current state and a row in its attempt timeline. "Still
 * retrying" never overwrites a final state another run or a failure handler already wrote.
 */
export async function recordAttempt(
  db: Database,
  deliveryId: string,
  attempt: number,
  runId: string,
  outcome: AttemptOutcome,
) {
  const final = outcome.status !== "queued";
  await db.$transaction([
    db.delivery.updateMany({
      where: { id: deliveryId, ...(!final && { status: "queued" }) },
      data: {
        status: outcome.status,
        attempts: attempt,
        runId,
        lastError: outcome.error ?? null,
        ...(outcome.providerMessageId !== undefined && { providerMessageId: outcome.providerMessageId }),
        ...(outcome.content !== undefined && { content: outcome.content }),
        ...(outcome.status === "sent" && { sentAt: new Date() }),
        ...(final && outcome.status !== "sent" && { sentAt: null }),
        ...(outcome.maxAttempts !== undefined && { maxAttempts: outcome.maxAttempts }),
        nextAttemptAt: final ? null : (outcome.nextAttemptAt ?? null),
      },
    }),
    db.deliveryAttempt.create({
      data: {
        deliveryId,
        attempt,
        outcome: outcome.status,
        error: outcome.error ?? null,
        providerStatus: outcome.providerStatus ?? null,
        runId,
        startedAt: outcome.startedAt ?? null,
      },
    }),
  ]);
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
