import type { Database } from "@acme/db";

export interface WindowRule {
  max: number;
  windowSeconds: number;
}

export interface Counter {
  /** Events counted in the current window (0 when it has lapsed). */
  count: number;
  windowStart: Date;
  /** When the last event was counted. */
  lastAt: Date;
}

export interface LimitDecision {
  allowed: boolean;
  /** Whole seconds until the window resets; 0 when allowed. */
  retryAfterSeconds: number;
}

interface CounterRow {
  count: number;
  windowStart: Date;
  lastAt: Date;
}

/**
 * Counts one event under `key` in a fixed window, atomically in one statement, so concurrent
 * requests on any app instance see each other. The clock is the database's.
 */
export async function countEvent(db: Database, key: string, windowSeconds: number): Promise<Counter & { now: Date }> {
  const rows = await db.$queryRaw<(CounterRow & { now: Date })[]>`
    INSERT INTO "RateLimitCounter" AS c ("key", "count", "windowStart", "lastAt")
    VALUES (${key}, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN c."windowStart" <= (now() AT TIME ZONE 'UTC') - make_interval(secs => ${windowSeconds})
                     THEN 1 ELSE c."count" + 1 END,
      "windowStart" = CASE WHEN c."windowStart" <= (now() AT TIME ZONE 'UTC') - make_interval(secs => ${windowSeconds})
                     THEN now() AT TIME ZONE 'UTC' ELSE c."windowStart" END,
      "lastAt" = now() AT TIME ZONE 'UTC'
    RETURNING "count", "windowStart", "lastAt", now() AT TIME ZONE 'UTC' AS "now"`;
  return rows[0]!;
}

/** The counter under `key` without counting; zero when absent or its window has lapsed. */
export async function readCounter(db: Database, key: string, windowSeconds: number): Promise<Counter & { now: Date }> {
  const rows = await db.$queryRaw<(CounterRow & { now: Date })[]>`
    SELECT "count", "windowStart", "lastAt", now() AT TIME ZONE 'UTC' AS "now" FROM "RateLimitCounter"
    WHERE "key" = ${key} AND "windowStart" > (now() AT TIME ZONE 'UTC') - make_interval(secs => ${windowSeconds})`;
  const [nowRow] = rows.length ? rows : await db.$queryRaw<{ now: Date }[]>`SELECT now() AT TIME ZONE 'UTC' AS "now"`;
  const now = nowRow!.now;
  return rows[0] ?? { count: 0, windowStart: now, lastAt: new Date(0), now };
}

export async function clearCounter(db: Database, key: string): Promise<void> {
  await db.rateLimitCounter.deleteMany({ where: { key } });
}

/** Counts the request and says whether it is within `rule`; over the limit, how long until it resets. */
export async function consumeLimit(db: Database, key: string, rule: WindowRule): Promise<LimitDecision> {
  const counter = await countEvent(db, key, rule.windowSeconds);
  if (counter.count <= rule.max) return { allowed: true, retryAfterSeconds: 0 };
  const resetsAt = counter.windowStart.getTime() + rule.windowSeconds * 1000;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((resetsAt - counter.now.getTime()) / 1000)) };
}
