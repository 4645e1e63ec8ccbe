// The job queue: claiming with leases, heartbeats, and applying an invocation's outcome only
// while the lease is still ours.
import type { JsonValue, MemoizedStep, SerializedError } from "../json";
import type { SdkOp } from "../ops";
import { getFunction } from "./apps";
import type { Db } from "./db";
import { getRunRecord } from "./inspect";
import { JobTx } from "./job-tx";
import {
  type ClaimedJob,
  type Invocation,
  isTerminal,
  type JobRow,
  type RunRow,
  type StepStatus,
  toJob,
  toRun,
} from "./rows";

/** Leases the next due job, honouring function-wide concurrency limits (best effort across executors). */
export async function claimJob(db: Db, owner: string, leaseMs: number): Promise<ClaimedJob | undefined> {
  const s = db.s;
  const res = await db.query<JobRow>(
    `WITH next AS (
       SELECT j.id FROM ${s}.jobs j
       WHERE j.run_at <= now()
         AND (j.lease_expires_at IS NULL OR j.lease_expires_at < now())
         AND NOT (j.kind <> 'wake' AND EXISTS (
           SELECT 1 FROM ${s}.functions f
           WHERE f.slug = j.function_slug AND f.concurrency_limit IS NOT NULL
             AND (SELECT count(*) FROM ${s}.jobs j2
                  WHERE j2.function_slug = f.slug AND j2.kind <> 'wake' AND j2.lease_expires_at > now())
                 >= f.concurrency_limit))
       ORDER BY j.run_at, j.id
       LIMIT 1
       FOR UPDATE OF j SKIP LOCKED
     )
     UPDATE ${s}.jobs j
     SET lease_owner = $1, lease_token = gen_random_uuid()::text,
         lease_expires_at = now() + $2 * interval '1 millisecond'
     FROM next WHERE j.id = next.id
     RETURNING j.*`,
    [owner, leaseMs],
  );
  const row = res.rows[0];
  return row ? toJob(row) : undefined;
}

/** Milliseconds until the next job becomes claimable (due or lease expired), if any. */
export async function nextDueInMs(db: Db): Promise<number | undefined> {
  const res = await db.query<{
    ms: string | number | null;
  }>(`SELECT EXTRACT(EPOCH FROM (min(CASE WHEN lease_expires_at IS NOT NULL AND lease_expires_at > run_at
                                     THEN lease_expires_at ELSE run_at END) - now())) * 1000 AS ms
     FROM ${db.s}.jobs`);
  const ms = res.rows[0]?.ms;
  return ms === null || ms === undefined ? undefined : Math.max(0, Number(ms));
}

export async function renewLeases(db: Db, tokens: string[], leaseMs: number): Promise<void> {
  if (tokens.length === 0) return;
  await db.query(
    // SKIP LOCKED: a job locked by an outcome transaction is being rewritten anyway, and
    // waiting on it could deadlock with that transaction's run-wide job updates.
    `UPDATE ${db.s}.jobs SET lease_expires_at = now() + $2 * interval '1 millisecond'
     WHERE id IN (SELECT id FROM ${db.s}.jobs WHERE lease_token = ANY($1::text[]) FOR UPDATE SKIP LOCKED)`,
    [tokens, leaseMs],
  );
}

/** Makes jobs claimable again (graceful shutdown, or an internal error while processing). */
export async function releaseLeases(db: Db, tokens: string[], delayMs = 0): Promise<void> {
  if (tokens.length === 0) return;
  await db.query(
    `UPDATE ${db.s}.jobs SET lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
       run_at = greatest(run_at, now() + $2 * interval '1 millisecond')
     WHERE lease_token = ANY($1::text[])`,
    [tokens, delayMs],
  );
}

/** Everything needed to call the SDK for a job; `undefined` when the run is already finished. */
export async function loadInvocation(db: Db, job: ClaimedJob): Promise<Invocation | undefined> {
  const s = db.s;
  const run = await getRunRecord(db, job.runId);
  if (!run || isTerminal(run.status)) {
    await db.query(`DELETE FROM ${s}.jobs WHERE id = $1 AND lease_token = $2`, [job.id, job.leaseToken]);
    return undefined;
  }
  const fn = await getFunction(db, run.functionSlug);
  const steps = await db.query<{ step_id: string; status: StepStatus; output: JsonValue; error: SerializedError }>(
    `SELECT step_id, status, output, error FROM ${s}.steps WHERE run_id = $1 AND status IN ('completed', 'failed')`,
    [job.runId],
  );
  const memo: Record<string, MemoizedStep> = {};
  for (const row of steps.rows) {
    memo[row.step_id] =
      row.status === "completed" ? { type: "data", data: row.output ?? null } : { type: "error", error: row.error };
  }
  if (run.status === "Queued") {
    await db.query(
      `UPDATE ${s}.runs SET status = 'Running', started_at = coalesce(started_at, now()), updated_at = now()
       WHERE id = $1 AND status = 'Queued'`,
      [run.id],
    );
  }
  return { run, fn, steps: memo };
}

/**
 * Applies an invocation's outcome atomically, but only if we still hold the job's lease
 * (a lease lost to another executor means our result is stale and is dropped).
 */
export async function withJob(db: Db, job: ClaimedJob, fn: (tx: JobTx) => Promise<void>): Promise<boolean> {
  const s = db.s;
  return db.tx(async (c) => {
    const run = await c.query<RunRow>(`SELECT * FROM ${s}.runs WHERE id = $1 FOR UPDATE`, [job.runId]);
    const owned = await c.query(`SELECT id FROM ${s}.jobs WHERE id = $1 AND lease_token = $2 FOR UPDATE`, [
      job.id,
      job.leaseToken,
    ]);
    const runRow = run.rows[0];
    if (!runRow || owned.rowCount === 0) return false;
    if (isTerminal(runRow.status)) {
      await c.query(`DELETE FROM ${s}.jobs WHERE id = $1`, [job.id]);
      return false;
    }
    await fn(new JobTx(db.logger, c, job, toRun(runRow)));
    return true;
  });
}

/** Async checkpoint from the SDK (`POST /v1/checkpoint/:runId/async`); `stale` maps to HTTP 409. */
export async function checkpoint(
  db: Db,
  runId: string,
  queueItemId: string,
  ops: SdkOp[],
  leaseMs: number,
): Promise<"ok" | "stale"> {
  const s = db.s;
  return db.tx(async (c) => {
    const run = await c.query<RunRow>(`SELECT * FROM ${s}.runs WHERE id = $1 FOR UPDATE`, [runId]);
    const jobRes = await c.query<JobRow>(`SELECT * FROM ${s}.jobs WHERE run_id = $1 AND lease_token = $2 FOR UPDATE`, [
      runId,
      queueItemId,
    ]);
    const runRow = run.rows[0];
    const jobRow = jobRes.rows[0];
    if (!runRow || !jobRow || isTerminal(runRow.status)) return "stale";
    const tx = new JobTx(db.logger, c, toJob(jobRow), toRun(runRow));
    for (const op of ops) {
      if (op.op === "StepRun" || op.op === "Step") await tx.memoize(op, { type: "data", data: op.data ?? null });
      else db.logger.warn(`ignoring checkpointed op "${op.op}" for run ${runId}`);
    }
    await c.query(`UPDATE ${s}.jobs SET lease_expires_at = now() + $2 * interval '1 millisecond' WHERE id = $1`, [
      jobRow.id,
      leaseMs,
    ]);
    return "ok";
  });
}
