// Retention: finished runs (with their steps, attempts and jobs) and events older than the
// retention period are deleted in bounded batches, each its own short transaction, so a large
// backlog never holds locks for long. Runs still going (e.g. a long sleep) and the events they
// started are kept whatever their age.
import type { Db } from "./db";

export interface PruneResult {
  runs: number;
  events: number;
  batches: number;
}

export async function pruneOlderThan(db: Db, cutoff: Date, batchSize: number, maxBatches = 1000): Promise<PruneResult> {
  const s = db.s;
  const result: PruneResult = { runs: 0, events: 0, batches: 0 };
  for (;;) {
    if (result.batches >= maxBatches) return result;
    const runs = await db.query(
      `WITH doomed AS (
         SELECT id FROM ${s}.runs
         WHERE status IN ('Completed', 'Failed', 'Cancelled') AND ended_at < $1
         ORDER BY ended_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), steps AS (
         DELETE FROM ${s}.steps WHERE run_id IN (SELECT id FROM doomed)
       ), attempts AS (
         DELETE FROM ${s}.attempts WHERE run_id IN (SELECT id FROM doomed)
       ), jobs AS (
         DELETE FROM ${s}.jobs WHERE run_id IN (SELECT id FROM doomed)
       )
       DELETE FROM ${s}.runs WHERE id IN (SELECT id FROM doomed) RETURNING id`,
      [cutoff, batchSize],
    );
    result.batches++;
    result.runs += runs.rowCount ?? 0;
    if ((runs.rowCount ?? 0) < batchSize) break;
  }
  for (;;) {
    if (result.batches >= maxBatches) return result;
    const events = await db.query(
      `DELETE FROM ${s}.events WHERE internal_id IN (
         SELECT internal_id FROM ${s}.events e
         WHERE received_at < $1 AND NOT EXISTS (SELECT 1 FROM ${s}.runs r WHERE r.event_internal_id = e.internal_id)
         ORDER BY received_at LIMIT $2)`,
      [cutoff, batchSize],
    );
    result.batches++;
    result.events += events.rowCount ?? 0;
    if ((events.rowCount ?? 0) < batchSize) break;
  }
  // Expired de-duplication keys and empty throttle buckets are of no further use.
  await db.query(`DELETE FROM ${s}.idempotency_keys WHERE expires_at < now()`);
  await db.query(`DELETE FROM ${s}.event_dedupe WHERE expires_at < now()`);
  await db.query(`DELETE FROM ${s}.throttles WHERE expires_at < now()`);
  return result;
}
