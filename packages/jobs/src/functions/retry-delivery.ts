import { NonRetriableError } from "inngest";
import { deliveryRetryEventData, RETRYABLE_STATUSES } from "@acme/validators";
import { deliveryRetryRequested, inngest } from "../client";
import { deliver } from "../deliver";
import { failUnsentDeliveries } from "../deliveries";
import type { JobDeps } from "../deps";
import { reserveEmailTurns } from "../email-pace";
import { sendEmailInTurn } from "./email-turn";
import { DELIVERY_RETRIES } from "./retries";

/**
 * An admin's retry of one failed or expired delivery: reopened as a new generation (a new send for
 * the provider), then sent the same way: an email in its turn under the provider's rate.
 */
export function createRetryDelivery(getDeps: () => JobDeps) {
  return inngest.createFunction(
    {
      id: "retry-delivery",
      name: "Retry one delivery",
      triggers: [deliveryRetryRequested],
      retries: DELIVERY_RETRIES,
      onFailure: async ({ event, error }) => {
        const original = deliveryRetryEventData.safeParse(event.data.event.data);
        if (!original.success) return;
        const { db } = getDeps();
        await failUnsentDeliveries(db, { id: original.data.deliveryId, runId: event.data.run_id }, error.message);
        // A request the run never got to take is not left pending forever.
        const requestId = original.data.requestId ?? event.data.event.id;
        if (requestId) {
          await db.deliveryRetryRequest.updateMany({
            where: { id: requestId, takenAt: null },
            data: { takenAt: new Date(), reopened: false, runId: event.data.run_id },
          });
        }
      },
    },
    async ({ event, step, runId, attempt, maxAttempts }) => {
      const deps = getDeps();
      const { deliveryId } = event.data;
      // Events written before requests had their own table carry the request id as the event id.
      const requestId = event.data.requestId ?? event.id;
      const reopened = await step.run("reopen-delivery", async () => {
        const delivery = await deps.db.$transaction(async (tx) => {
          const request = requestId
            ? await tx.deliveryRetryRequest.findUnique({
                where: { id: requestId },
                select: { takenAt: true, runId: true },
              })
            : null;
          // Replayed after a crash: this run already reopened it.
          if (request?.takenAt && request.runId === runId) {
            return tx.delivery.findUnique({ where: { id: deliveryId }, select: { channel: true, generation: true } });
          }
          // Only a failed or expired delivery reopens; the generation makes the provider call a new send.
          const { count } = await tx.delivery.updateMany({
            where: { id: deliveryId, status: { in: [...RETRYABLE_STATUSES] } },
            data: {
              status: "queued",
              generation: { increment: 1 },
              lastError: null,
              nextAttemptAt: null,
              runId,
              openedAt: new Date(),
            },
          });
          if (requestId) {
            await tx.deliveryRetryRequest.updateMany({
              where: { id: requestId, takenAt: null },
              data: { takenAt: new Date(), reopened: count === 1, runId },
            });
          }
          return count === 1
            ? tx.delivery.findUnique({ where: { id: deliveryId }, select: { channel: true, generation: true } })
            : null;
        });
        // In the same step: a replayed reopen keeps its turn.
        const [emailTurn] =
          delivery?.channel === "email"
            ? await reserveEmailTurns(deps.db, [deliveryId], deps.config.delivery.emailRatePerSecond)
            : [];
        return delivery && { ...delivery, emailTurn };
      });
      if (!reopened) throw new NonRetriableError(`Delivery ${deliveryId} is not failed or expired; nothing to retry`);
      const context = {
        runId,
        attempt,
        maxAttempts: maxAttempts ?? DELIVERY_RETRIES + 1,
        generation: reopened.generation,
      };
      if (reopened.emailTurn) return sendEmailInTurn(step, deps, reopened.emailTurn, context);
      // Reopened by an earlier version, which handed the email to send-email.
      if (reopened.channel === "email") return { deliveryId, status: "queued", handedTo: "send-email" };
      return step.run("deliver", () => deliver(deps, deliveryId, context));
    },
  );
}
