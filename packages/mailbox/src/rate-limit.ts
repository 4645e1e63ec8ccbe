/** What one request learns about its API key's budget: Resend's `ratelimit-*` headers. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the whole budget is back. */
  resetSeconds: number;
}

export type RateLimitDecision = RateLimitState &
  ({ allowed: true } | { allowed: false; /** `retry-after`, whole seconds */ retryAfterSeconds: number });

/**
 * At most `limit` requests per key in any `windowMs` span (a sliding log). Stricter than a
 * fixed window, which lets 2× the limit through across a window boundary: a client that
 * keeps to this keeps to Resend's limit whatever algorithm Resend runs.
 */
export class SlidingWindowRateLimiter {
  private readonly logs = new Map<string, { times: number[]; head: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs = 1_000,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError("rate limit must be a positive integer");
  }

  /** Counts the request if it fits in the budget; `now` in ms, passed in so tests need no clock. */
  take(key: string, now: number): RateLimitDecision {
    const log = this.logs.get(key) ?? { times: [], head: 0 };
    this.logs.set(key, log);
    while (log.head < log.times.length && (log.times[log.head] as number) <= now - this.windowMs) log.head++;
    if (log.head > 1_024) {
      log.times = log.times.slice(log.head);
      log.head = 0;
    }
    const inWindow = log.times.length - log.head;
    const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1_000));
    if (inWindow >= this.limit) {
      const oldest = log.times[log.head] as number;
      const newest = log.times[log.times.length - 1] as number;
      return {
        allowed: false,
        limit: this.limit,
        remaining: 0,
        resetSeconds: seconds(newest + this.windowMs - now),
        retryAfterSeconds: seconds(oldest + this.windowMs - now),
      };
    }
    log.times.push(now);
    return {
      allowed: true,
      limit: this.limit,
      remaining: this.limit - inWindow - 1,
      resetSeconds: seconds(this.windowMs),
    };
  }

  reset(): void {
    this.logs.clear();
  }
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "ratelimit-limit": String(state.limit),
    "ratelimit-remaining": String(state.remaining),
    "ratelimit-reset": String(state.resetSeconds),
  };
}
