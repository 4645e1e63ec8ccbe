import { NonRetriableError, RetryAfterError } from "inngest";
import { emailContentSchema, type EmailContent, type PushPayload } from "@acme/validators";
import { composeEmail, composePush } from "./content";
import { resolveLinkTokens } from "./links";
import { sendProfileUpdatedEmail } from "./channels/email";
import { pushTopic, sendPushNotification } from "./channels/push";
import type { SendResult } from "./channels/result";
import {
  loadDeliveriesToSend,
  pinEmailContent,
  recordAttempts,
  type AttemptOutcome,
  type AttemptRecord,
  type DeliveryToSend,
} from "./deliveries";
import type { JobDeps } from "./deps";
import { waitForTurn } from "./email-pace";
import { classifyFailure } from "./errors";
import { ProviderFailure } from "./logger";

export interface StepContext {
  runId: string;
  /** Zero-based attempt of the current step, and how many it gets in all. */
  attempt: number;
  maxAttempts: number;
  /** The generation this run was asked to send; a delivery reopened since belongs to a newer run. */
  generation?: number;
  /** An email's turn under the provider's rate (epoch ms): the provider call waits for it. */
  notBefore?: number;
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
  const [delivery] = await loadDeliveriesToSend(deps.db, [deliveryId]);
  const tried = await tryDelivery(deps, deliveryId, delivery ?? null, step);
  if (tried.record) await recordAttempts(deps.db, [tried.record]);
  if ("error" in tried) throw tried.error;
  return tried.result;
}

/** One try: what to record of it, then what the step returns or throws (after the record is written). */
type Tried = { record: AttemptRecord | null } & ({ result: DeliveryResult } | { error: Error });

/** Tries one loaded delivery; writes nothing of its outcome (the caller records the tries of a step at once). */
async function tryDelivery(
  deps: JobDeps,
  deliveryId: string,
  delivery: DeliveryToSend | null,
  step: StepContext,
): Promise<Tried> {
  const { db, config } = deps;
  if (!delivery) return { record: null, error: new NonRetriableError(`Delivery ${deliveryId} no longer exists`) };
  if (delivery.status !== "queued")
    return {
      record: null,
      result: { deliveryId, status: delivery.status, providerMessageId: delivery.providerMessageId },
    };
  if (step.generation !== undefined && step.generation !== delivery.generation)
    return { record: null, result: { deliveryId, status: "skipped", providerMessageId: null } };

  const change = delivery.change;
  const attemptNumber = delivery.attempts + 1;
  // What every record of this try carries, so admins see when it began and how many tries it gets.
  const tryFacts = { startedAt: new Date(), maxAttempts: step.maxAttempts };
  const record = (outcome: AttemptOutcome, reachedSubscriptionId: string | null = null): AttemptRecord => ({
    deliveryId,
    attempt: attemptNumber,
    runId: step.runId,
    outcome: { ...tryFacts, ...outcome },
    reachedSubscriptionId,
  });
  // Stored content keeps the links' token slots; the tokens are filled in only for the send.
  let content: EmailContent | PushPayload;
  let result: SendResult;

  const tokens = await resolveLinkTokens(deps, change);
  if (!tokens.ok)
    return { record: record({ status: "failed", error: tokens.reason }), error: new NonRetriableError(tokens.reason) };

  if (delivery.channel === "email") {
    // Every try sends the email as first rendered, pinned when the delivery was planned (or, for a
    // row an earlier version planned, before its first send): a repeat under the same idempotency
    // key after a crash must carry the same body (Resend answers 409 invalid_idempotent_request
    // otherwise), even if the user renamed themselves in between.
    const email =
      emailContentSchema.safeParse(delivery.content).data ??
      (await pinEmailContent(db, deliveryId, await composeEmail(config, change, delivery.target)));
    content = email;
    await waitForTurn(step.notBefore);
    result = await sendProfileUpdatedEmail(
      deps,
      tokens.fill(email),
      `profile-change/${change.id}/email/${delivery.generation}`,
    );
  } else {
    const payload = composePush(config.appUrl, change, delivery.generation);
    content = payload;
    const { subscription } = delivery;
    // A device that unsubscribed, or now belongs to someone else, is not this user's anymore.
    if (!subscription || subscription.userId !== delivery.userId) {
      return {
        record: record({ status: "expired", error: "The device unsubscribed before delivery", content }),
        result: { deliveryId, status: "expired" },
      };
    }
    result = await sendPushNotification(deps, subscription, tokens.fill(payload), pushTopic(change.id));
  }

  if (result.ok) {
    return {
      record: record(
        {
          status: "sent",
          providerStatus: result.status,
          providerMessageId: result.providerMessageId,
          content,
        },
        delivery.subscription?.id ?? null,
      ),
      result: { deliveryId, status: "sent", providerMessageId: result.providerMessageId },
    };
  }

  const failure = classifyFailure(delivery.channel, result.status, result.retryAfter, result.code);
  if (failure.kind === "gone") {
    await db.pushSubscription.deleteMany({ where: { id: delivery.subscription?.id ?? "" } });
    return {
      record: record({ status: "expired", providerStatus: result.status, error: result.message, content }),
      result: { deliveryId, status: "expired" },
    };
  }
  const givingUp = retriesExhausted(step, delivery.openedAt, config.delivery.retryHorizonMs);
  if (failure.kind === "permanent" || givingUp) {
    // Admins are told at error level; the admin page counts and flags failed deliveries.
    console.error(
      `[deliveries] ${delivery.channel} delivery ${deliveryId} failed after ${attemptNumber} attempt(s)` +
        `${givingUp && failure.kind !== "permanent" ? ` (${givingUp})` : ""}: ${result.message}`,
    );
    return {
      record: record({ status: "failed", providerStatus: result.status, error: result.message, content }),
      error: new NonRetriableError(result.message),
    };
  }
  const retryAfterMs = failure.retryAfterMs === null ? null : Math.max(failure.retryAfterMs, 1_000);
  return {
    record: record({
      status: "queued",
      providerStatus: result.status,
      error: result.message,
      content,
      // Otherwise the executor's backoff decides; the admin reads it from the run's queued jobs.
      nextAttemptAt: retryAfterMs === null ? null : new Date(Date.now() + retryAfterMs),
    }),
    error:
      retryAfterMs === null ? new ProviderFailure(result.message) : new RetryAfterError(result.message, retryAfterMs),
  };
}

/**
 * Why a transient failure is the last one: the step's attempts are spent, or the delivery has been
 * trying for longer than the retry horizon. Null while another try is worth it.
 */
export function retriesExhausted(
  step: StepContext,
  openedAt: Date,
  horizonMs: number,
  now = Date.now(),
): string | null {
  if (step.attempt + 1 >= step.maxAttempts) return `all ${step.maxAttempts} attempts used`;
  if (now - openedAt.getTime() >= horizonMs) return `retried for ${formatDuration(horizonMs)}`;
  return null;
}

function formatDuration(ms: number): string {
  if (ms >= 3_600_000) return `${+(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${+(ms / 60_000).toFixed(1)} min`;
  return `${+(ms / 1000).toFixed(1)} s`;
}

/**
 * Sends several deliveries of one change at once, inside one step: each is still sent at most once
 * (what is no longer queued is skipped), so a retry of the step retries only what failed. A
 * permanent failure is recorded on its delivery and does not fail the others. When some failed for
 * now, the step is retried after the longest Retry-After any provider asked for, or the executor's
 * backoff when none did.
 */
export async function deliverTogether(
  deps: JobDeps,
  targets: readonly { deliveryId: string; notBefore?: number }[],
  step: StepContext,
): Promise<DeliveryResult[]> {
  const loaded = await loadDeliveriesToSend(
    deps.db,
    targets.map((t) => t.deliveryId),
  );
  const byId = new Map(loaded.map((d) => [d.id, d]));
  const settled = await Promise.allSettled(
    targets.map((t) =>
      tryDelivery(deps, t.deliveryId, byId.get(t.deliveryId) ?? null, { ...step, notBefore: t.notBefore }),
    ),
  );
  // Every try is recorded, all in one statement, before the step returns or throws.
  await recordAttempts(
    deps.db,
    settled.flatMap((s) => (s.status === "fulfilled" && s.value.record ? [s.value.record] : [])),
  );
  const outcomes = settled.map((s): { result: DeliveryResult } | { error: unknown } =>
    s.status === "rejected" ? { error: s.reason } : s.value,
  );
  const retriable = outcomes.flatMap((o) =>
    "error" in o && !(o.error instanceof NonRetriableError)
      ? [o.error instanceof Error ? o.error : new Error("A delivery failed", { cause: o.error })]
      : [],
  );
  if (retriable.length > 0) {
    const message = retriable.map((e) => e.message).join("; ");
    const longest = Math.max(...retriable.map((e) => (e instanceof RetryAfterError ? retryAfterMs(e) : 0)));
    if (longest > 0) throw new RetryAfterError(message, longest);
    // Something other than a provider's answer (a bug, the database) keeps its own error and stack.
    const unexpected = retriable.find((e) => !(e instanceof ProviderFailure));
    throw unexpected ?? new ProviderFailure(message);
  }
  return outcomes.map((o, i) =>
    "result" in o ? o.result : { deliveryId: targets[i]!.deliveryId, status: "failed" as const },
  );
}

/** RetryAfterError keeps seconds, or an ISO date. */
function retryAfterMs(error: RetryAfterError): number {
  const seconds = Number(error.retryAfter);
  return Number.isFinite(seconds) ? seconds * 1000 : Math.max(0, Date.parse(error.retryAfter) - Date.now());
}
