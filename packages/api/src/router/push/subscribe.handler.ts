import { TRPCError } from "@trpc/server";
import { checkPushEndpoint, PushEndpointRefused } from "@acme/egress";
import type { z } from "zod";
import { recordAccountEvent } from "../../account-events/record";
import { FieldError, type Context } from "../../trpc";
import type { subscribeInput } from "./subscribe.schema";

type Ctx = Context & { session: NonNullable<Context["session"]> };

function refused(field: string, message: string): TRPCError {
  return new TRPCError({ code: "BAD_REQUEST", message: `${field}: ${message}`, cause: new FieldError(field, message) });
}

/** The endpoint as stored (one spelling per device), or BAD_REQUEST on `endpoint` saying why it is refused. */
async function vetEndpoint(endpoint: string, ctx: Ctx): Promise<string> {
  try {
    return await checkPushEndpoint(endpoint, ctx.config.security.pushEndpoints);
  } catch (error) {
    if (error instanceof PushEndpointRefused) throw refused("endpoint", error.message);
    // A name that does not resolve right now is refused the same way, never a 500.
    throw refused("endpoint", "endpoint host could not be resolved");
  }
}

/** Stores (or moves to this user) a browser subscription, keyed by its normalised endpoint. */
export async function subscribePush({ ctx, input }: { ctx: Ctx; input: z.output<typeof subscribeInput> }) {
  const userId = ctx.session.user.id;
  const endpoint = await vetEndpoint(input.endpoint, ctx);
  const data = { userId, p256dh: input.keys.p256dh, auth: input.keys.auth, userAgent: ctx.request.userAgent };
  const maxDevices = ctx.config.security.pushMaxDevices;
  const { subscription, outboxEventId } = await ctx.db.$transaction(async (tx) => {
    // Serialises one user's subscribes so the device cap holds under concurrency.
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
    const existing = await tx.pushSubscription.findUnique({ where: { endpoint } });
    if (existing?.userId === userId)
      return {
        subscription: await tx.pushSubscription.update({ where: { id: existing.id }, data }),
        outboxEventId: null,
      };
    const devices = await tx.pushSubscription.count({ where: { userId } });
    if (devices >= maxDevices)
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `You have ${devices} devices receiving notifications, the most allowed is ${maxDevices}: turn one off first`,
      });
    // A browser that moves to another account becomes a new device: deliveries queued for the
    // previous owner must not follow it.
    if (existing) await tx.pushSubscription.delete({ where: { id: existing.id } });
    const created = await tx.pushSubscription.create({ data: { endpoint, ...data } });
    // A new device reads every future notice: the user is told, with a link to remove it if it is not theirs.
    const event = await recordAccountEvent(tx, {
      kind: "push_device_added",
      userId,
      request: ctx.request,
      details: { pushSubscriptionId: created.id },
    });
    return { subscription: created, outboxEventId: event.outboxEventId };
  });
  if (outboxEventId) ctx.relay.dispatchSoon(outboxEventId);
  return { id: subscription.id };
}
