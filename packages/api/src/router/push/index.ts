import type { TRPCRouterRecord } from "@trpc/server";
import { normalizePushEndpoint, type PushEndpointPolicy } from "@acme/egress";
import { plainString } from "@acme/validators";
import { z } from "zod";
import { perUserLimit } from "../../middleware/rate-limit";
import { protectedProcedure, publicProcedure } from "../../trpc";
import { subscribePush } from "./subscribe.handler";
import { subscribeInput } from "./subscribe.schema";

export const pushRouter = {
  publicKey: publicProcedure.query(({ ctx }) => ({ publicKey: ctx.config.vapidPublicKey })),

  subscribe: protectedProcedure.use(perUserLimit("pushSubscribe")).input(subscribeInput).mutation(subscribePush),

  unsubscribe: protectedProcedure
    .input(z.strictObject({ endpoint: plainString("endpoint").pipe(z.string().min(1).max(2048)) }))
    .mutation(async ({ ctx, input }) => {
      const endpoints = [input.endpoint, normalizedOrNull(input.endpoint, ctx.config.security.pushEndpoints)];
      const { count } = await ctx.db.pushSubscription.deleteMany({
        where: { endpoint: { in: endpoints.filter((e) => e !== null) }, userId: ctx.session.user.id },
      });
      return { removed: count };
    }),

  /** The signed-in user's devices. */
  list: protectedProcedure.query(({ ctx }) =>
    ctx.db.pushSubscription.findMany({
      where: { userId: ctx.session.user.id },
      select: { id: true, endpoint: true, userAgent: true, createdAt: true, lastSuccessAt: true },
      orderBy: { createdAt: "desc" },
    }),
  ),
} satisfies TRPCRouterRecord;

/** The stored spelling of an endpoint, if it is one that could have been stored. */
function normalizedOrNull(endpoint: string, policy: PushEndpointPolicy): string | null {
  try {
    return normalizePushEndpoint(endpoint, policy);
  } catch {
    return null;
  }
}
