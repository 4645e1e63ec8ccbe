import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import {
  describeAccountEvent,
  parseAccountEventDetails,
  parseProfileChanges,
  profileUpdatedEventName,
  readDeliveryContent,
} from "@acme/validators";
import { deliveryViewSelect, loadDeliveryFacts, toDeliveryView } from "../deliveries/view";
import { toAttemptView } from "../presenters";
import type { AdminContext } from "../types";
import type { getChangeInput } from "./get.schema";

/** One profile change and every notification it caused, each with its attempts and content. */
export async function getChange({ ctx, input }: { ctx: AdminContext; input: z.output<typeof getChangeInput> }) {
  const change = await ctx.db.profileChange.findUnique({
    where: { id: input.id },
    include: {
      user: { select: { id: true, email: true, username: true } },
      actor: { select: { id: true, email: true, username: true } },
      deliveries: {
        orderBy: [{ channel: "asc" }, { createdAt: "asc" }, { id: "asc" }],
        select: {
          ...deliveryViewSelect,
          providerMessageId: true,
          content: true,
          attemptLog: { orderBy: [{ createdAt: "asc" }, { attempt: "asc" }] },
        },
      },
    },
  });
  if (!change) throw new TRPCError({ code: "NOT_FOUND", message: `No profile change with id ${input.id}` });

  const [facts, outbox] = await Promise.all([
    loadDeliveryFacts(ctx.db, change.deliveries),
    ctx.db.outboxEvent.findFirst({
      where: { subjectId: change.id, name: profileUpdatedEventName },
      orderBy: { createdAt: "asc" },
      select: { id: true, name: true, createdAt: true, dispatchedAt: true, attempts: true, lastError: true },
    }),
  ]);

  const changes = parseProfileChanges(change.changes);
  return {
    id: change.id,
    kind: change.kind,
    title: describeAccountEvent(change.kind, changes, parseAccountEventDetails(change.details)).title,
    createdAt: change.createdAt,
    /** The user's answer through the secure link: reported ("this wasn't me") or confirmed. */
    reportedAt: change.reportedAt,
    confirmedAt: change.confirmedAt,
    changedFields: change.changedFields,
    changes,
    ipAddress: change.ipAddress,
    userAgent: change.userAgent,
    user: change.user,
    actor: change.actor,
    event: outbox,
    deliveries: change.deliveries.map((d) => ({
      ...toDeliveryView(d, facts),
      providerMessageId: d.providerMessageId,
      ...readDeliveryContent(d.channel, d.content),
      attemptLog: d.attemptLog.map(toAttemptView),
    })),
  };
}
