// Inngest's retry policy: how many attempts, how long to wait, and what `retry-after` means.

/** Parses a `retry-after` header (seconds or an HTTP/ISO date) into a delay in ms. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(0, Math.round(Number(trimmed) * 1000));
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

// Inngest's default retry schedule (pkg/backoff TableBackoff): fixed steps plus up to 30 s jitter.
const backoffTableMs = [15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 1200e3, 2400e3, 3600e3, 7200e3];

/**
 * Delay before retry number `attempt + 1` after attempt `attempt` (0-based) failed.
 * With `baseDelayMs` (tests, local dev) the schedule is `base * 2^attempt`, capped at 60 s.
 */
export function retryDelayMs(attempt: number, baseDelayMs?: number, random: () => number = Math.random): number {
  if (baseDelayMs !== undefined) return Math.min(baseDelayMs * 2 ** Math.max(0, attempt), 60_000);
  const index = Math.min(Math.max(0, attempt), backoffTableMs.length - 1);
  return (backoffTableMs[index] ?? 7200e3) + Math.floor(random() * 30_000);
}

/** Function `retries` (number of retries, default 3) to total attempts. */
export function maxAttemptsFromRetries(retries: number | undefined): number {
  const r = typeof retries === "number" && Number.isFinite(retries) ? Math.max(0, Math.floor(retries)) : 3;
  return r + 1;
}
