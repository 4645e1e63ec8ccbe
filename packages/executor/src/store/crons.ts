// Cron triggers fire here: each due schedule becomes an `inngest/scheduled.timer` event and a
// run of its function, de-duplicated by the scheduled time so two executors fire it once.
import { InternalEvents } from "../consts";
import { nextCronTime } from "../cron";
import { ulid } from "../ids";
import type { JsonObject } from "../json";
import { getFunction } from "./apps";
import type { Db } from "./db";
import { createRun, storeEvent } from "./events";

// Inngest formats cron times as RFC 3339 without fractions.
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** Fires every schedule that is due; returns the runs created. Missed ticks fire once, not each. */
export async function fireDueCrons(db: Db, now = new Date()): Promise<string[]> {
  const s = db.s;
  return db.tx(async (c) => {
    const due = await c.query<{ function_slug: string; expression: string; next_at: Date }>(
      `SELECT function_slug, expression, next_at FROM ${s}.crons WHERE next_at <= now()
       ORDER BY next_at LIMIT 100 FOR UPDATE SKIP LOCKED`,
    );
    const runIds: string[] = [];
    for (const row of due.rows) {
      const fn = await getFunction(c, row.function_slug);
      if (!fn || fn.deletedAt || !fn.crons.includes(row.expression)) {
        await c.query(`DELETE FROM ${s}.crons WHERE function_slug = $1 AND expression = $2`, [
          row.function_slug,
          row.expression,
        ]);
        continue;
      }
      const scheduledAt = rfc3339(row.next_at);
      const payload: JsonObject = {
        id: scheduledAt,
        name: InternalEvents.ScheduledTimer,
        data: { cron: row.expression, scheduledAt, fireAt: scheduledAt },
        user: {},
        ts: row.next_at.getTime(),
      };
      const internalId = ulid();
      await storeEvent(c, internalId, payload);
      const runId = await createRun(c, db.logger, fn, internalId, payload, row.expression);
      if (runId) runIds.push(runId);
      const next = nextCronTime(row.expression, new Date(Math.max(now.getTime(), row.next_at.getTime())));
      await c.query(`UPDATE ${s}.crons SET next_at = $3 WHERE function_slug = $1 AND expression = $2`, [
        row.function_slug,
        row.expression,
        next,
      ]);
    }
    return runIds;
  });
}
