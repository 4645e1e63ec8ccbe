import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import { runPageFor } from "@acme/config";
import { parseProfileChanges, readDeliveryContent } from "@acme/validators";
import { toAttemptView } from "../presenters";
import type { AdminContext } from "../types";
import type { getDeliveryInput } from "./get.schema";
import { retryRequestsFor } from "./retry-requests";
import { deliveryViewSelect, loadDeliveryFacts, toDeliveryView } from "./view";

/** One delivery with everything an admin needs to understand it: attempts, content, run, retries. */
export async function getDelivery({ ctx, input }: { ctx: AdminContext; input: z.output<typeof getDeliveryInput> }) {
  const delivery = await ctx.db.delivery.findUnique({
    where: { id: input.id },
    select: {
      ...deliveryViewSelect,
      pushSubscriptionId: true,
      providerMessageId: true,
      content: true,
      user: { select: { id: true, email: true, username: true } },
      profileChange: {
        select: { id: true, changedFields: true, changes: true, createdAt: true, ipAddress: true, userAgent: true },
      },
      attemptLog: { orderBy: [{ createdAt: "asc" }, { attempt: "asc" }] },
    },
  });
  if (!delivery) throw new TRPCError({ code: "NOT_FOUND", message: `No delivery with id ${input.id}` });

  const [facts, retryRequests] = await Promise.all([
    loadDeliveryFacts(ctx.db, [delivery]),
    retryRequestsFor(ctx.db, delivery.id),
  ]);
  return {
    ...toDeliveryView(delivery, facts),
    pushSubscriptionId: delivery.pushSubscriptionId,
    providerMessageId: delivery.providerMessageId,
    /** Inngest's own page for the run, where there is one (Dev Server, self-hosted, Cloud). */
    runPageUrl: delivery.runId ? runPageFor(ctx.config.inngest, delivery.runId) : null,
    user: delivery.user,
    change: { ...delivery.profileChange, changes: parseProfileChanges(delivery.profileChange.changes) },
    ...readDeliveryContent(delivery.channel, delivery.content),
    attemptLog: delivery.attemptLog.map(toAttemptView),
    retryRequests,
  };
}
