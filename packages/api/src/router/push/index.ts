import type { TRPCRouterRecord } from "@trpc/server";
import { pushSubscriptionSchema } from "@acme/validators";
import { z } from "zod";
import { recordAccountEvent } from "../../account-events/record";
import { protectedProcedure, publicProcedure } from "../../trpc";

export const pushRouter = {
  publicKey: publicProcedure.query(({ ctx }) => ({ publicKey: ctx.config.vapidPublicKey })),

  /** Stores (or moves to this user) a browser subscription, keyed by its endpoint. */
  subscribe: protectedProcedure.input(pushSubscriptionSchema).mutation(async ({ ctx, input }) => {
    const data = {
      userId: ctx.session.user.id,
      p256dh: input.keys.p256dh,
      auth: input.keys.auth,
      userAgent: ctx.request.userAgent,
    };
    const { subscription, outboxEventId } = await ctx.db.$transaction(async (tx) => {
      const existing = await tx.pushSubscription.findUnique({ where: { endpoint: input.endpoint } });
      if (existing?.userId === data.userId)
        return {
          subscription: await tx.pushSubscription.update({ where: { id: existing.id }, data }),
          outboxEventId: null,
        };
      // A browser that moves to another account becomes a new device: deliveries queued for the
      // previous owner must not follow it.
      if (existing) await tx.pushSubscription.delete({ where: { id: existing.id } });
      const created = await tx.pushSubscription.create({ data: { endpoint: input.endpoint, ...data } });
      // A new device reads every future notice: the user is told, with a link to remove it if it is not theirs.
      const event = await recordAccountEvent(tx, {
        kind: "push_device_added",
        userId: data.userId,
        request: ctx.request,
        details: { pushSubscriptionId: created.id },
      });
      return { subscription: created, outboxEventId: event.outboxEventId };
    });
    if (outboxEventId) ctx.relay.dispatchSoon(outboxEventId);
    return { id: subscription.id };
  }),

  unsubscribe: protectedProcedure
    .input(z.strictObject({ endpoint: z.string().min(1).max(2048) }))
    .mutation(async ({ ctx, input }) => {
      const { count } = await ctx.db.pushSubscription.deleteMany({
        where: { endpoint: input.endpoint, userId: ctx.session.user.id },
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
