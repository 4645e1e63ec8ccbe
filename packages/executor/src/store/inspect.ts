// Read-only queries for the inspection API.
import type { JsonObject, SerializedError } from "../json";
import type { Db } from "./db";
import { type AttemptRecord, type RunRecord, type RunRow, type StepRecord, type StepRow, toRun, toStep } from "./rows";

export async function getRunRecord(db: Db, runId: string): Promise<RunRecord | undefined> {
  const res = await db.query<RunRow>(`SELECT * FROM ${db.s}.runs WHERE id = $1`, [runId]);
  const row = res.rows[0];
  return row ? toRun(row) : undefined;
}

export async function getSteps(db: Db, runId: string): Promise<StepRecord[]> {
  const res = await db.query<StepRow>(`SELECT * FROM ${db.s}.steps WHERE run_id = $1 ORDER BY created_at, step_id`, [
    runId,
  ]);
  return res.rows.map(toStep);
}

/** Looks an event up by its internal id (the id the event API answered with). */
export async function findEvent(
  db: Db,
  eventId: string,
): Promise<{ internalId: string; payload: JsonObject; receivedAt: Date } | undefined> {
  const res = await db.query<{ internal_id: string; payload: JsonObject; received_at: Date }>(
    `SELECT internal_id, payload, received_at FROM ${db.s}.events
     WHERE internal_id = $1`,
    [eventId],
  );
  const row = res.rows[0];
  return row ? { internalId: row.internal_id, payload: row.payload, receivedAt: row.received_at } : undefined;
}

export async function getRunsForEvent(db: Db, internalId: string): Promise<RunRecord[]> {
  const res = await db.query<RunRow>(
    `SELECT * FROM ${db.s}.runs WHERE event_internal_id = $1 ORDER BY created_at, id`,
    [internalId],
  );
  return res.rows.map(toRun);
}

export async function getAttempts(db: Db, runId: string): Promise<AttemptRecord[]> {
  const res = await db.query<{
    step_id: string | null;
    attempt: number;
    started_at: Date | null;
    ended_at: Date;
    outcome: string;
    error: SerializedError | null;
  }>(
    `SELECT step_id, attempt, started_at, ended_at, outcome, error FROM ${db.s}.attempts WHERE run_id = $1 ORDER BY id`,
    [runId],
  );
  return res.rows.map((r) => ({
    stepId: r.step_id,
    attempt: r.attempt,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    outcome: r.outcome,
    error: r.error,
  }));
}
