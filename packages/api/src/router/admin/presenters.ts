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
  if (channel === "email") return maskEmail(target);
  // Markers such as "(no push devices)" (a skipped delivery) are not addresses: shown as they are.
  return /^\(.*\)$/.test(target) ? target : maskPushEndpoint(target);
}

/** One try of a delivery, for the timeline: when it began, how long it took, what the provider said. */
export function toAttemptView(attempt: DeliveryAttempt) {
  return {
    id: attempt.id,
    attempt: attempt.attempt,
    outcome: attempt.outcome,
    error: attempt.error,
    providerStatus: attempt.providerStatus,
    runId: attempt.runId,
    startedAt: attempt.startedAt,
    finishedAt: attempt.createdAt,
    durationMs: attempt.startedAt ? Math.max(0, attempt.createdAt.getTime() - attempt.startedAt.getTime()) : null,
  };
}
