import type { DeliveryAttempt, DeliveryChannel, DeliveryStatus } from "@acme/db";

export const DELIVERY_STATUSES = [
  "queued",
  "sent",
  "failed",
  "expired",
  "skipped",
] as const satisfies readonly DeliveryStatus[];
export const DELIVERY_CHANNELS = ["email", "push"] as const satisfies readonly DeliveryChannel[];
/** Statuses an admin may retry: the delivery gave up (failed) or its push subscription is gone (expired). */
export const RETRYABLE_STATUSES = ["failed", "expired"] as const satisfies readonly DeliveryStatus[];

export function isRetryable(status: DeliveryStatus): status is (typeof RETRYABLE_STATUSES)[number] {
  return (RETRYABLE_STATUSES as readonly DeliveryStatus[]).includes(status);
}

/** `alice@example.com` → `a***@example.com`: enough to recognise, not enough to copy. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at < 1) return "***";
  return `${address[0]}***${address.slice(at)}`;
}

/** A push endpoint as its service host plus the last characters of the capability URL. */
export function maskPushEndpoint(endpoint: string): string {
  const tail = endpoint.slice(-6);
  try {
    return `${new URL(endpoint).host}/…${tail}`;
  } catch {
    return `…${tail}`;
  }
}

export function maskTarget(channel: DeliveryChannel, target: string): string {
  return channel === "email" ? maskEmail(target) : maskPushEndpoint(target);
}

/**
 * The run API for a run id on the Inngest server the app talks to (INNGEST_DEV when it names
 * an HTTP server, else INNGEST_BASE_URL); null when there is none to link to.
 */
export function executorRunUrl(runId: string | null, inngestServer: string | null): string | null {
  if (!runId || !inngestServer || !/^https?:\/\//.test(inngestServer)) return null;
  return `${inngestServer.replace(/\/+$/, "")}/v1/runs/${encodeURIComponent(runId)}`;
}

export interface EmailContent {
  subject: string | null;
  from: string | null;
  to: string[];
  html: string | null;
  text: string | null;
}

export interface PushContent {
  title: string | null;
  body: string | null;
  url: string | null;
  tag: string | null;
}

/** The stored `Delivery.content` JSON read defensively: it is written by another package. */
export function readDeliveryContent(
  channel: DeliveryChannel,
  content: unknown,
): { email: EmailContent | null; push: PushContent | null } {
  if (!content || typeof content !== "object" || Array.isArray(content)) return { email: null, push: null };
  const value = content as Record<string, unknown>;
  const text = (key: string) => (typeof value[key] === "string" ? value[key] : null);
  if (channel === "email") {
    const to = value["to"];
    return {
      email: {
        subject: text("subject"),
        from: text("from"),
        to: Array.isArray(to)
          ? to.filter((t): t is string => typeof t === "string")
          : typeof to === "string"
            ? [to]
            : [],
        html: text("html"),
        text: text("text"),
      },
      push: null,
    };
  }
  return { email: null, push: { title: text("title"), body: text("body"), url: text("url"), tag: text("tag") } };
}

/** One try of a delivery, for the timeline. */
export function toAttemptView(attempt: DeliveryAttempt, inngestServer: string | null) {
  return {
    id: attempt.id,
    attempt: attempt.attempt,
    outcome: attempt.outcome,
    error: attempt.error,
    runId: attempt.runId,
    runUrl: executorRunUrl(attempt.runId, inngestServer),
    createdAt: attempt.createdAt,
  };
}
