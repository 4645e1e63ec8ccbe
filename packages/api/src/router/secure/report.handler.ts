import { TRPCError } from "@trpc/server";
import { forgetCachedSessions } from "@acme/auth";
import type { z } from "zod";
import { secureAccount, type SecuredAccount } from "../../account-events/secure-account";
import { assertLinkable, changeIdFromToken, secureLinkState } from "../../secure-link/linked-change";
import type { Context } from "../../trpc";
import type { secureTokenInput } from "./token.schema";

/**
 * "This wasn't me — secure my account": in one transaction, with the change row locked so a double
 * click acts once, mark it reported, undo it and end every session; then, after commit, the revert's
 * notice and a password reset email, both through the outbox.
 */
export async function reportSecureLink({ ctx, input }: { ctx: Context; input: z.output<typeof secureTokenInput> }) {
  const id = changeIdFromToken(ctx.config, input.token);
  const outcome = await ctx.db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "ProfileChange" WHERE id = ${id} FOR UPDATE`;
    const change = await tx.profileChange.findUnique({ where: { id }, include: { user: true } });
    assertLinkable(change);
    const state = secureLinkState(change, ctx.config.secureLinks.ttlMs);
    if (state !== "open") return { state, secured: null, email: change.user.email };
    await tx.profileChange.update({ where: { id }, data: { reportedAt: new Date() } });
    const secured: SecuredAccount = await secureAccount(tx, change, ctx.request);
    return { state: "reported" as const, secured, email: change.user.email };
  });
  if (!outcome.secured) return { state: outcome.state, secured: null, resetEmailRequested: false };

  // The sessions were deleted in the transaction: no bearer session of this process outlives them.
  if (ctx.auth) forgetCachedSessions(ctx.auth);
  if (outcome.secured.outboxEventId) ctx.relay.dispatchSoon(outcome.secured.outboxEventId);
  const resetEmailRequested = await requestPasswordReset(ctx, outcome.email);
  const { outboxEventId: _, ...secured } = outcome.secured;
  return { state: outcome.state, secured, resetEmailRequested };
}

/** better-auth's reset flow; its sendResetPassword hook records the request and queues the email. */
async function requestPasswordReset(ctx: Context, email: string): Promise<boolean> {
  if (!ctx.auth) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Password reset is not available" });
  try {
    await ctx.auth.api.requestPasswordReset({ body: { email } });
    return true;
  } catch (error) {
    // The account is secured already; the page offers "Forgot password?" instead of failing the whole answer.
    console.error("[secure-link] could not start the password reset:", error instanceof Error ? error.message : error);
    return false;
  }
}
