import { limitSecureLinkRequest } from "../../secure-link/linked-change";
import { publicProcedure } from "../../trpc";
import { secureTokenInput } from "./token.schema";

/** Signed out by design: the link is the credential. Rate-limited per client and link. */
export const secureLinkProcedure = publicProcedure.input(secureTokenInput).use(({ ctx, input, next }) => {
  limitSecureLinkRequest(ctx.request.ipAddress, input.token);
  return next();
});
