import { createAuthMiddleware, getIP, isAPIError, APIError } from "better-auth/api";
import type { Database } from "@acme/db";
import { clearCounter, consumeLimit, countEvent, readCounter } from "./rate-limit";

export interface SignInThrottleOptions {
  /** Failures of one account from one address before each further try waits (1 s, 2 s, 4 s, … 15 min). */
  freeFailures: number;
  /** Failures of one account from all addresses per hour before unfamiliar addresses share a slow lane. */
  accountCeiling: number;
}

const FAILURE_WINDOW_S = 60 * 60;
const MAX_DELAY_S = 15 * 60;
/** Beyond the ceiling: one try per this many seconds for the account from addresses it never signed in from. */
const SLOW_LANE_S = 5;
const FAMILIAR_FOR_S = 90 * 24 * 60 * 60;

const pairKey = (email: string, ip: string) => `sign-in:fail:${email}|${ip}`;
const accountKey = (email: string) => `sign-in:fail:${email}`;
const familiarKey = (email: string, ip: string) => `sign-in:ok:${email}|${ip}`;

/**
 * Seconds this address must wait before trying this account again; 0 to go ahead. The owner is
 * never locked out: delays are bounded, and an address the account signed in from before skips
 * the account-wide slow lane that a spread-out guessing campaign triggers.
 */
export async function signInWait(db: Database, email: string, ip: string, options: SignInThrottleOptions) {
  const pair = await readCounter(db, pairKey(email, ip), FAILURE_WINDOW_S);
  let wait = 0;
  if (pair.count >= options.freeFailures) {
    const delay = Math.min(2 ** (pair.count - options.freeFailures), MAX_DELAY_S);
    wait = Math.ceil((pair.lastAt.getTime() + delay * 1000 - pair.now.getTime()) / 1000);
  }
  if (wait > 0) return wait;
  const account = await readCounter(db, accountKey(email), FAILURE_WINDOW_S);
  if (account.count < options.accountCeiling) return 0;
  if ((await readCounter(db, familiarKey(email, ip), FAMILIAR_FOR_S)).count > 0) return 0;
  const lane = await consumeLimit(db, `sign-in:lane:${email}`, { max: 1, windowSeconds: SLOW_LANE_S });
  return lane.allowed ? 0 : lane.retryAfterSeconds;
}

export async function recordSignInOutcome(db: Database, email: string, ip: string, succeeded: boolean) {
  if (succeeded) {
    await clearCounter(db, pairKey(email, ip));
    await countEvent(db, familiarKey(email, ip), FAMILIAR_FOR_S);
  } else {
    await countEvent(db, pairKey(email, ip), FAILURE_WINDOW_S);
    await countEvent(db, accountKey(email), FAILURE_WINDOW_S);
  }
}

function signInEmail(body: unknown): string | null {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === "string" && email.length <= 320 ? email.trim().toLowerCase() : null;
}

/** What an extra after-hook reads of better-auth's endpoint context. */
export interface AfterHookContext {
  path: string;
  headers?: Headers;
  context: { returned?: unknown; session?: { user: { id: string } } | null };
}

/**
 * better-auth hooks around /sign-in/email: wait before a try, count its outcome after. better-auth
 * takes one `after` hook, so other after-work (`alsoAfter`) runs in it too.
 */
export function signInThrottleHooks(
  db: Database,
  options: SignInThrottleOptions,
  alsoAfter?: (ctx: AfterHookContext) => Promise<void>,
) {
  return {
    before: createAuthMiddleware(async (ctx) => {
      if (ctx.path !== "/sign-in/email") return;
      const email = signInEmail(ctx.body);
      if (!email) return;
      const ip = getIP(ctx.request ?? ctx.headers ?? new Headers(), ctx.context.options) ?? "unknown";
      const wait = await signInWait(db, email, ip, options);
      if (wait > 0)
        throw new APIError(
          "TOO_MANY_REQUESTS",
          { message: `Too many sign-in attempts: try again in ${wait} s`, code: "SIGN_IN_THROTTLED", retryAfter: wait },
          { "retry-after": String(wait) },
        );
    }),
    after: createAuthMiddleware(async (ctx) => {
      await alsoAfter?.(ctx);
      if (ctx.path !== "/sign-in/email") return;
      const email = signInEmail(ctx.body);
      if (!email) return;
      const returned = ctx.context.returned;
      // Only a wrong password counts; our own refusal (429) and malformed input do not.
      const failed = isAPIError(returned) && returned.statusCode === 401;
      if (isAPIError(returned) && !failed) return;
      const ip = getIP(ctx.request ?? ctx.headers ?? new Headers(), ctx.context.options) ?? "unknown";
      await recordSignInOutcome(db, email, ip, !failed);
    }),
  };
}
