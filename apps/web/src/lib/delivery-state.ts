/** A delivery waiting for its next try, as the API reports it. */
export interface RetryingState {
  nextAttempt: number;
  maxAttempts: number | null;
  nextAttemptAt: Date | null;
}

/** "in 30 s", "in 4 min", "now": how long until `at`. */
export function formatIn(at: Date, now: number): string {
  const seconds = Math.ceil((at.getTime() - now) / 1000);
  if (seconds <= 0) return "now";
  if (seconds < 90) return `in ${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `in ${minutes} min`;
  return `in ${Math.round(minutes / 60)} h`;
}

/** "120 ms", "1.4 s", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/**
 * "Retrying — attempt 2 of 6, next in 30 s". The time comes from the provider's Retry-After
 * when it gave one, else from the run's queued job (`scheduledAt`) when Inngest was asked.
 */
export function describeRetrying(
  state: RetryingState,
  now: number,
  scheduledAt: Date | null = null,
  { label = true } = {},
): string {
  const of = state.maxAttempts ? ` of ${state.maxAttempts}` : "";
  const at = state.nextAttemptAt ?? scheduledAt;
  const when = !at ? "" : at.getTime() <= now ? ", due now" : `, next ${formatIn(at, now)}`;
  return `${label ? "Retrying — attempt" : "attempt"} ${state.nextAttempt}${of}${when}`;
}
