import { z } from "zod";
import { ConnectionReset, defaultError, HttpError, rateLimitMessage } from "./errors";
import { bareAddress } from "./senders";

/** One injected failure, as `failNext` and `POST /__mailbox/fail` take it. */
export const failureSchema = z
  .object({
    /** HTTP status to answer with, e.g. 429, 500, 503. */
    status: z.number().int().min(400).max(599).optional(),
    /** Reset the connection (TCP RST) instead of answering. */
    reset: z.boolean().optional(),
    /**
     * Do the work first (the email is stored, or an idempotent replay is answered), then lose
     * the answer: a 5xx or a reset reaches the client although the send happened.
     */
    afterAccept: z.boolean().optional(),
    /** Sent as `retry-after`; 429s default to 1 second, like Resend. */
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** Resend error name; derived from the status when omitted. */
    name: z.string().min(1).optional(),
    message: z.string().min(1).optional(),
    /**
     * Only a send with this address among its recipients (to, cc, bcc) takes the failure; others
     * pass it by. Lets a test fail its own email while other tests' retries are in flight.
     */
    to: z.string().min(1).optional(),
  })
  .strict()
  .refine((f) => (f.status === undefined) !== (f.reset !== true), {
    error: "give either `status` or `reset: true`",
  })
  .refine((f) => !f.afterAccept || f.reset === true || (f.status ?? 0) >= 500, {
    error: "`afterAccept` fails with a 5xx status or `reset: true`",
  });

export type FailureOptions = z.input<typeof failureSchema>;

type Pending = z.output<typeof failureSchema> & { remaining: number };

/** Failures armed for the next sends, in order. */
export class FailureQueue {
  private pending: Pending[] = [];

  /** Throws a RangeError naming the problem when `n` or `failure` is invalid. */
  add(n: number, failure: FailureOptions): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError("failNext: n must be a positive integer");
    const parsed = failureSchema.safeParse(failure);
    if (!parsed.success) {
      throw new RangeError(`failNext: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    }
    this.pending.push({ ...parsed.data, remaining: n });
  }

  /**
   * The next failure for a send to `recipients` if it belongs to this phase: "before" (instead of
   * doing the work) or "after" (the work is done). A send that fails validation consumes no
   * after-accept failure.
   */
  take(
    phase: "before" | "after",
    perSecond: number,
    recipients: readonly string[],
  ): HttpError | ConnectionReset | null {
    const addresses = recipients.map(addressOf);
    const index = this.pending.findIndex((f) => f.to === undefined || addresses.includes(addressOf(f.to)));
    const next = this.pending[index];
    if (!next || Boolean(next.afterAccept) !== (phase === "after")) return null;
    next.remaining--;
    if (next.remaining === 0) this.pending.splice(index, 1);
    if (next.reset) return new ConnectionReset();
    const status = next.status as number;
    const base = status === 429 ? { ...defaultError(429), message: rateLimitMessage(perSecond) } : defaultError(status);
    const retryAfter = next.retryAfterSeconds ?? (status === 429 ? 1 : undefined);
    const headers: Record<string, string> = {};
    if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
    if (status === 429) Object.assign(headers, { "ratelimit-remaining": "0", "ratelimit-reset": String(retryAfter) });
    return new HttpError(
      { statusCode: status, name: next.name ?? base.name, message: next.message ?? base.message },
      headers,
    );
  }

  get count(): number {
    return this.pending.reduce((n, f) => n + f.remaining, 0);
  }

  clear(): void {
    this.pending = [];
  }
}

/** The bare, lower-cased address of `Name <a@b>` or `a@b`. */
function addressOf(recipient: string): string {
  return bareAddress(recipient).toLowerCase();
}

/** Every recipient string of one email body (`to`, `cc`, `bcc`: a string or a list), unvalidated. */
export function recipientsOf(email: unknown): string[] {
  if (typeof email !== "object" || email === null) return [];
  const fields = email as Record<string, unknown>;
  return ["to", "cc", "bcc"].flatMap((field) => {
    const value = fields[field];
    const list: unknown[] = Array.isArray(value) ? value : [value];
    return list.filter((v): v is string => typeof v === "string");
  });
}
