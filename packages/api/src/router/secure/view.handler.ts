import { describeAccountEvent, parseAccountEventDetails, parseProfileChanges } from "@acme/validators";
import type { z } from "zod";
import {
  assertLinkable,
  changeIdFromToken,
  secureLinkExpiresAt,
  secureLinkState,
} from "../../secure-link/linked-change";
import type { Context } from "../../trpc";
import type { secureTokenInput } from "./token.schema";

/** What the link is about, for the page behind it: the event in words, when, from where, and what the link can still do. */
export async function viewSecureLink({ ctx, input }: { ctx: Context; input: z.output<typeof secureTokenInput> }) {
  const change = await ctx.db.profileChange.findUnique({ where: { id: changeIdFromToken(ctx.config, input.token) } });
  assertLinkable(change);
  const text = describeAccountEvent(
    change.kind,
    parseProfileChanges(change.changes),
    parseAccountEventDetails(change.details),
  );
  return {
    state: secureLinkState(change, ctx.config.secureLinks.ttlMs),
    expiresAt: secureLinkExpiresAt(change.createdAt, ctx.config.secureLinks.ttlMs),
    answeredAt: change.reportedAt ?? change.confirmedAt,
    event: {
      kind: change.kind,
      title: text.title,
      lines: text.lines,
      createdAt: change.createdAt,
      userAgent: change.userAgent,
      ipAddress: change.ipAddress,
    },
  };
}
