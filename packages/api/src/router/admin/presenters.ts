import type { DeliveryAttempt, DeliveryChannel, DeliveryStatus } from "@acme/db";
import type { DeliveryChannelName, DeliveryStatusName } from "@acme/validators";

// The shared delivery vocabulary (@acme/validators) and Prisma's enums must name the same values.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type _StatusesMatchPrisma = Assert<Same<DeliveryStatusName, DeliveryStatus>>;
export type _ChannelsMatchPrisma = Assert<Same<DeliveryChannelName, DeliveryChannel>>;

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
