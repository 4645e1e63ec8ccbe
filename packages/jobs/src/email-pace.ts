import { setTimeout as delay } from "node:timers/promises";
import { Prisma, type Database } from "@acme/db";

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
  const [row] = await db.$queryRaw<PaceRow[]>`
    WITH wanted AS (SELECT ${deliveryIds.length}::int AS n), ${paceCte(ratePerSecond)}
    SELECT first, now FROM pace`;
  return turnsFrom(deliveryIds, row, ratePerSecond);
}

/** What the `pace` CTE returns: the first turn taken and the reservation's time. */
export interface PaceRow {
  first: Date;
  now: Date;
}

const stepMicros = (ratePerSecond: number) => Math.ceil(1_000_000 / (ratePerSecond * PACE_HEADROOM));

/**
 * The CTE `pace` of a caller's statement: takes the next `n` turns, `n` from the one-row CTE
 * `wanted` the caller defines before it (no row, and the pace untouched, when `n` is 0), so a
 * statement that creates the emails can take their turns too.
 */
export function paceCte(ratePerSecond: number): Prisma.Sql {
  const step = stepMicros(ratePerSecond);
  return Prisma.sql`pace AS (
    INSERT INTO "SendPace" ("channel", "nextAt")
    SELECT 'email', now() + n * ${step}::float8 * interval '1 microsecond' FROM wanted WHERE n > 0
    ON CONFLICT ("channel") DO UPDATE
      SET "nextAt" = GREATEST("SendPace"."nextAt", now()) + (EXCLUDED."nextAt" - now())
    RETURNING "nextAt" - (SELECT n FROM wanted) * ${step}::float8 * interval '1 microsecond' AS first, now() AS now
  )`;
}

/** The turns of `deliveryIds`, in order, from the slots `pace` took for them. */
export function turnsFrom(
  deliveryIds: readonly string[],
  row: PaceRow | undefined,
  ratePerSecond: number,
): EmailTurn[] {
  if (deliveryIds.length === 0) return [];
  if (!row) throw new Error("No send turns were taken for the emails");
  const first = row.first.getTime();
  const reservedAt = row.now.getTime();
  const step = stepMicros(ratePerSecond);
  return deliveryIds.map((deliveryId, i) => ({
    deliveryId,
    at: first + Math.floor((i * step) / 1000),
    reservedAt,
  }));
}

/** Waits, at most INLINE_WAIT_MS, for an email's turn: called just before the provider call. */
export async function waitForTurn(notBefore: number | undefined): Promise<void> {
  const early = (notBefore ?? 0) - Date.now();
  if (early > 0) await delay(Math.min(early, INLINE_WAIT_MS));
}
