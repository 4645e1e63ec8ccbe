import { setTimeout as delay } from "node:timers/promises";
import type { Database } from "@acme/db";

/** When an email may go out: its turn under the provider's rate, on the database's clock. */
export interface EmailTurn {
  deliveryId: string;
  /** Epoch ms of the slot, and of the reservation (both from the database: one clock). */
  at: number;
  reservedAt: number;
}

/** A turn this close is waited for inside the send; a later one is a durable sleep. */
const INLINE_WAIT_MS = 500;

/** Whether a turn is far enough to sleep for durably; from memoized values only, so a replay agrees. */
export function isFarTurn(turn: EmailTurn): boolean {
  return turn.at - turn.reservedAt > INLINE_WAIT_MS;
}

/**
 * Turns fill 80 % of the provider's rate. A send leaves a little after its turn (a wake-up, a
 * render, a request under load); with turns exactly 1 s / rate apart, one late send and its
 * on-time successors would put rate + 1 requests in a second, and the provider refuses one.
 */
export const PACE_HEADROOM = 0.8;

/**
 * Takes the next `deliveryIds.length` send slots, 1 s / (rate × PACE_HEADROOM) apart, from the
 * one pace every function and app instance shares (one row, one statement). Inngest's throttle is
 * per function; the provider's limit is per account, and notifications, admin retries and
 * account emails all send through it.
 */
export async function reserveEmailTurns(
  db: Database,
  deliveryIds: readonly string[],
  ratePerSecond: number,
): Promise<EmailTurn[]> {
  if (deliveryIds.length === 0) return [];
  const stepMicros = Math.ceil(1_000_000 / (ratePerSecond * PACE_HEADROOM));
  const spanMicros = deliveryIds.length * stepMicros;
  const [row] = await db.$queryRaw<{ first: Date; now: Date }[]>`
    INSERT INTO "SendPace" ("channel", "nextAt")
    VALUES ('email', now() + ${spanMicros} * interval '1 microsecond')
    ON CONFLICT ("channel") DO UPDATE
      SET "nextAt" = GREATEST("SendPace"."nextAt", now()) + ${spanMicros} * interval '1 microsecond'
    RETURNING "nextAt" - ${spanMicros} * interval '1 microsecond' AS first, now() AS now`;
  const first = row!.first.getTime();
  const reservedAt = row!.now.getTime();
  return deliveryIds.map((deliveryId, i) => ({
    deliveryId,
    at: first + Math.floor((i * stepMicros) / 1000),
    reservedAt,
  }));
}

/** Waits, at most INLINE_WAIT_MS, for an email's turn: called just before the provider call. */
export async function waitForTurn(notBefore: number | undefined): Promise<void> {
  const early = (notBefore ?? 0) - Date.now();
  if (early > 0) await delay(Math.min(early, INLINE_WAIT_MS));
}
