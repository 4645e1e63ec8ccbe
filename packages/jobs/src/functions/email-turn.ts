import type { GetStepTools } from "inngest";
import type { inngest } from "../client";
import { deliver, type DeliveryResult, type StepContext } from "../deliver";
import type { JobDeps } from "../deps";
import { isFarTurn, type EmailTurn } from "../email-pace";

type StepTools = GetStepTools<typeof inngest>;

/**
 * Sends one email in its turn: a durable sleep until a far slot, a short wait just before the
 * provider call for a near one.
 */
export async function sendEmailInTurn(
  step: StepTools,
  deps: JobDeps,
  turn: EmailTurn,
  context: StepContext,
): Promise<DeliveryResult> {
  if (isFarTurn(turn)) await step.sleepUntil(`email-turn-${turn.deliveryId}`, new Date(turn.at));
  return step.run(`deliver-email-${turn.deliveryId}`, () =>
    deliver(deps, turn.deliveryId, { ...context, notBefore: turn.at }),
  );
}
