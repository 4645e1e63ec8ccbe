import { TRPCError } from "@trpc/server";
import type { DeliveryStatus } from "@acme/db";
import type { z } from "zod";
import { isRetryable } from "@acme/validators";
import type { AdminContext } from "../types";
import { insertRetryRequests, pendingRetries } from "./retry-requests";
import type { retryDeliveryInput } from "./retry.schema";

interface LockedDelivery {
  id: string;
  status: DeliveryStatus;
}

/**
 * Asks the delivery function to send one failed or expired delivery again. The request is an
 * outbox row written in one transaction (the durable record), handed to the relay after commit.
 */
export async function retryDelivery({ ctx, input }: { ctx: AdminContext; input: z.output<typeof retryDeliveryInput> }) {
  const requested = await ctx.db.$transaction(async (tx) => {
    // Lock the row so two admins (or a double click) cannot both queue a retry.
    const [delivery] = await tx.$queryRaw<LockedDelivery[]>`
      SELECT id, status::text AS status FROM "Delivery" WHERE id = ${input.id} FOR UPDATE`;
    if (!delivery) throw new TRPCError({ code: "NOT_FOUND", message: `No delivery with id ${input.id}` });
    if (!isRetryable(delivery.status)) {
      throw new TRPCError({
        code: "CONFLICT",
        message: `This delivery is ${delivery.status}; only failed or expired deliveries can be retried`,
      });
    }
    const pendingSince = (await pendingRetries(tx, [delivery.id])).get(delivery.id);
    if (pendingSince) {
      throw new TRPCError({
        code: "CONFLICT",
        message: `A retry of this delivery was already requested at ${pendingSince.toISOString()}`,
      });
    }
    const [request] = await insertRetryRequests(tx, [delivery.id], ctx.session.user.id);
    return request!;
  });

  ctx.relay.dispatchSoon(requested.outboxEventId);
  return { deliveryId: input.id, requestId: requested.requestId, requestedAt: requested.requestedAt };
}
