import { NonRetriableError, RetryAfterError } from "inngest";
import { emailContentSchema, parseProfileChanges } from "@acme/validators";
import { buildPushPayload, describeUserAgent, summarizeChanges } from "./content";
import { sendProfileUpdatedEmail } from "./channels/email";
import { renderProfileUpdatedEmail } from "./channels/email-template";
import { pushTopic, sendPushNotification } from "./channels/push";
import type { SendResult } from "./channels/result";
import { recordAttempt } from "./deliveries";
import type { JobDeps } from "./deps";
import { classifyFailure } from "./errors";

export interface StepContext {
  runId: string;
  /** Zero-based attempt of the current step, and how many it gets in all. */
  attempt: number;
  maxAttempts: number;
}

export interface DeliveryResult {
  deliveryId: string;
  status: "sent" | "expired" | "skipped" | "failed" | "queued";
  providerMessageId?: string | null;
}

/**
 * Sends one delivery, once. A delivery that is no longer queued is never sent again; a send
 * repeated after a crash is absorbed by the provider (Resend idempotency key, push topic).
 */
export async function deliver(deps: JobDeps, deliveryId: string, step: StepContext): Promise<DeliveryResult> {
  const { db, config } = deps;
  const delivery = await db.delivery.findUnique({
    where: { id: deliveryId },
    include: { profileChange: { include: { user: true } } },
  });
  if (!delivery) throw new NonRetriableError(`Delivery ${deliveryId} no longer exists`);
  if (delivery.status !== "queued")
    return { deliveryId, status: delivery.status, providerMessageId: delivery.providerMessageId };

  const change = delivery.profileChange;
  const changes = parseProfileChanges(change.changes);
  const attemptNumber = delivery.attempts + 1;
  let content: Record<string, string>;
  let result: SendResult;

  if (delivery.channel === "email") {
    // Every try sends the email as first rendered: a repeat under the same idempotency key has
    // the same body even if the user renamed themselves in between.
    const email = emailContentSchema.safeParse(delivery.content).data ?? {
      from: config.email.from,
      to: delivery.target,
      ...(await renderProfileUpdatedEmail({
        username: changes.username?.to ?? change.user.username,
        changes: summarizeChanges(changes).lines,
        changedAt: change.createdAt,
        device: describeUserAgent(change.userAgent),
        ipAddress: change.ipAddress,
        profileUrl: `${config.appUrl}/profile`,
        supportUrl: config.email.supportUrl,
      })),
    };
    content = { ...email };
    result = await sendProfileUpdatedEmail(deps, email, `profile-change/${change.id}/email/${delivery.generation}`);
  } else {
    const payload = buildPushPayload(change.id, changes, config.appUrl);
    content = { ...payload };
    const subscription = delivery.pushSubscriptionId
      ? await db.pushSubscription.findUnique({ where: { id: delivery.pushSubscriptionId } })
      : null;
    // A device that unsubscribed, or now belongs to someone else, is not this user's anymore.
    if (!subscription || subscription.userId !== delivery.userId) {
      await recordAttempt(db, deliveryId, attemptNumber, step.runId, {
        status: "expired",
        error: "The device unsubscribed before delivery",
        content,
      });
      return { deliveryId, status: "expired" };
    }
    result = await sendPushNotification(deps, subscription, payload, pushTopic(change.id));
    if (result.ok)
      await db.pushSubscription.update({ where: { id: subscription.id }, data: { lastSuccessAt: new Date() } });
  }

  if (result.ok) {
    await recordAttempt(db, deliveryId, attemptNumber, step.runId, {
      status: "sent",
      providerMessageId: result.providerMessageId,
      content,
    });
    return { deliveryId, status: "sent", providerMessageId: result.providerMessageId };
  }

  const failure = classifyFailure(delivery.channel, result.status, result.retryAfter, result.code);
  if (failure.kind === "gone") {
    await db.pushSubscription.deleteMany({ where: { id: delivery.pushSubscriptionId ?? "" } });
    await recordAttempt(db, deliveryId, attemptNumber, step.runId, {
      status: "expired",
      error: result.message,
      content,
    });
    return { deliveryId, status: "expired" };
  }
  const lastAttempt = step.attempt + 1 >= step.maxAttempts;
  if (failure.kind === "permanent" || lastAttempt) {
    await recordAttempt(db, deliveryId, attemptNumber, step.runId, {
      status: "failed",
      error: result.message,
      content,
    });
    throw new NonRetriableError(result.message);
  }
  await recordAttempt(db, deliveryId, attemptNumber, step.runId, { status: "queued", error: result.message, content });
  if (failure.retryAfterMs !== null) throw new RetryAfterError(result.message, Math.max(failure.retryAfterMs, 1_000));
  throw new Error(result.message);
}
