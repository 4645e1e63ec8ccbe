// Inngest's retry policy: how many attempts, how long to wait, and what `retry-after` means.

/** Inngest caps `retries` at 20 (21 attempts). */
export const MAX_RETRIES = 20;

// Inngest clips a requested retry time to [1 s, 24 h] from now.
const MIN_RETRY_AFTER_MS = 1000;
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Parses a `retry-after` header (whole seconds or an HTTP/ISO date) into a delay in ms, clipped
 * to [1 s, 24 h] as Inngest does. `undefined` when absent or unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let delay: number | undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) delay = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (!Number.isNaN(at)) delay = at - now;
  }
  if (delay === undefined) return undefined;
  return Math.round(Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_RETRY_AFTER_MS, delay)));
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

/** Function `retries` (number of retries, default 3, at most 20) to total attempts. */
export function maxAttemptsFromRetries(retries: number | undefined): number {
  const r = typeof retries === "number" && Number.isFinite(retries) ? Math.max(0, Math.floor(retries)) : 3;
  return Math.min(r, MAX_RETRIES) + 1;
}
