/** What to do about a failed provider call. */
export type FailureKind =
  | { kind: "transient"; retryAfterMs: number | null }
  | { kind: "permanent" }
  /** The push subscription no longer exists. */
  | { kind: "gone" };

export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Network errors (no status), timeouts, 429 and 5xx are worth retrying; other 4xx are our
 * fault or the recipient's and will fail the same way again. 404/410 from a push service
 * mean the device unsubscribed.
 */
export function classifyFailure(
  channel: "email" | "push",
  status: number | null,
  retryAfter?: string | null,
  code?: string,
): FailureKind {
  if (status === null) return { kind: "transient", retryAfterMs: null };
  // Resend: the same idempotency key is still being processed by an earlier, overlapping try.
  if (status === 409 && code === "concurrent_idempotent_requests")
    return { kind: "transient", retryAfterMs: parseRetryAfter(retryAfter) ?? 1_000 };
  if (channel === "push" && (status === 404 || status === 410)) return { kind: "gone" };
  if (status === 429) return { kind: "transient", retryAfterMs: parseRetryAfter(retryAfter) };
  if (status === 408 || status >= 500) return { kind: "transient", retryAfterMs: parseRetryAfter(retryAfter) };
  return { kind: "permanent" };
}
