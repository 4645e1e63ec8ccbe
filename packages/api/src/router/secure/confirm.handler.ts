import type { z } from "zod";
import { assertLinkable, changeIdFromToken, secureLinkState } from "../../secure-link/linked-change";
import type { Context } from "../../trpc";
import type { secureTokenInput } from "./token.schema";

/** "This was me": uses the link up, changes nothing else. */
export async function confirmSecureLink({ ctx, input }: { ctx: Context; input: z.output<typeof secureTokenInput> }) {
  const id = changeIdFromToken(ctx.config, input.token);
  const cutoff = new Date(Date.now() - ctx.config.secureLinks.ttlMs);
  // One conditional update: of two clicks, or a click racing "this wasn't me", only one wins.
  const { count } = await ctx.db.profileChange.updateMany({
    where: { id, confirmedAt: null, reportedAt: null, createdAt: { gt: cutoff } },
    data: { confirmedAt: new Date() },
  });
  const change = await ctx.db.profileChange.findUnique({ where: { id } });
  assertLinkable(change);
  return { state: secureLinkState(change, ctx.config.secureLinks.ttlMs), answeredNow: count === 1 };
}
