import { ConnectionReset, HttpError } from "./http";

export interface FailOptions {
  /** Sent as `Retry-After` (429s default to 1 s). */
  retryAfterSeconds?: number;
  /**
   * Record the message as delivered to the device first, then lose the answer: the sender
   * gets the 5xx or the reset although the device has the message.
   */
  afterAccept?: boolean;
}

/** An HTTP status (4xx/5xx), or "reset" to reset the connection instead of answering. */
export type FailStatus = number | "reset";

interface Pending {
  target: string;
  remaining: number;
  status: FailStatus;
  retryAfterSeconds: number | undefined;
  afterAccept: boolean;
}

/** Failures armed for the next pushes to one subscription, or to any ("*"). */
export class FailureQueue {
  private pending: Pending[] = [];

  add(target: string, n: number, status: FailStatus, options: FailOptions = {}): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError("failNext: n must be a positive integer");
    if (status !== "reset" && (!Number.isInteger(status) || status < 400 || status > 599))
      throw new RangeError('failNext: status must be 4xx, 5xx or "reset"');
    if (options.afterAccept && status !== "reset" && status < 500)
      throw new RangeError('failNext: afterAccept fails with a 5xx status or "reset"');
    this.pending.push({
      target,
      remaining: n,
      status,
      retryAfterSeconds: options.retryAfterSeconds,
      afterAccept: options.afterAccept ?? false,
    });
  }

  /**
   * The next failure for this subscription (one aimed at it goes before a "*" one) if it
   * belongs to this phase: "before" the push is handled, or "after" it was recorded.
   */
  take(subscriptionId: string, phase: "before" | "after"): HttpError | ConnectionReset | null {
    const next = this.pending.find((f) => f.target === subscriptionId) ?? this.pending.find((f) => f.target === "*");
    if (!next || next.afterAccept !== (phase === "after")) return null;
    next.remaining--;
    if (next.remaining === 0) this.pending = this.pending.filter((f) => f !== next);
    if (next.status === "reset") return new ConnectionReset();
    const retryAfter = next.retryAfterSeconds ?? (next.status === 429 ? 1 : undefined);
    return new HttpError(
      next.status,
      "Injected failure.",
      retryAfter === undefined ? {} : { "retry-after": String(retryAfter) },
    );
  }

  clear(): void {
    this.pending = [];
  }
}
