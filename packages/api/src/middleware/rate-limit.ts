import { TRPCError } from "@trpc/server";
import { consumeLimit } from "@acme/auth/rate-limit";
import { createMiddleware, RateLimitedError, type Context } from "../trpc";

type Limited = keyof Context["config"]["security"]["rateLimits"];

const WHAT: Record<Limited, string> = {
  userUpdate: "profile changes",
  pushSubscribe: "device registrations",
};

/**
 * A per-user budget (RATE_LIMIT_*) counted in the database, so it holds across app instances.
 * Counts before the input is read: malformed floods spend the budget too.
 */
export function perUserLimit(name: Limited) {
  return createMiddleware(async ({ ctx, next }) => {
    if (!ctx.session) return next();
    const rule = ctx.config.security.rateLimits[name];
    const decision = await consumeLimit(ctx.db, `${name}:${ctx.session.user.id}`, rule);
    if (!decision.allowed) {
      const message = `Too many ${WHAT[name]} in a short time: please wait ${decision.retryAfterSeconds} s and try again`;
      throw new TRPCError({
        code: "TOO_MANY_REQUESTS",
        message,
        cause: new RateLimitedError(decision.retryAfterSeconds, message),
      });
    }
    return next();
  });
}
