// The job queue: claiming with leases, heartbeats, and applying an invocation's outcome only
// while the lease is still ours.
import type { SdkOp } from "../ops";
import type { Db } from "./db";
import { JobTx } from "./job-tx";
import { admitByConcurrency, throttle, type ThrottleConfig } from "../flow";
import {
  type Claimed,
  invocationsFrom,
  loadInvocations,
  type RunJson,
  type StepJson,
  withInvocations,
} from "./invocations";
import { type ClaimedJob, type JobKind, isTerminal, type JobRow, type RunRow, toJob, toRun } from "./rows";

export interface ClaimResult {
  claimed: Claimed[];
  /** Due jobs were held back by concurrency slots: new capacity comes with a finished job. */
  blocked: boolean;
  nextJobsMs?: number;
  nextCronsMs?: number;
}

const msUntil = (v: string | number | null | undefined) =>
  v === null || v === undefined ? undefined : Math.max(0, Number(v));

/**
 * Leases up to `max` due jobs and returns them with their invocations and when the next work is
 * due — one statement for jobs without concurrency slots or throttles (most), the serialized
 * transaction below for the rest.
 */
export async function claimJobs(db: Db, owner: string, leaseMs: number, max: number): Promise<ClaimResult> {
  const s = db.s;
  await db.functions.fresh();
  const res = await db.query<{
    jobs: JobRow[];
    runs: RunJson[];
    steps: StepJson[];
    constrained: string;
    next_jobs: string | number | null;
    next_crons: string | number | null;
  }>(
    `WITH cand AS (
       SELECT j.id, (j.kind = 'wake' OR cardinality(j.slot_keys) = 0) AND j.throttle IS NULL AS free
       FROM ${s}.jobs j
       WHERE j.run_at <= now() AND (j.lease_expires_at IS NULL OR j.lease_expires_at < now())
       ORDER BY j.run_at, j.id LIMIT $3
       FOR UPDATE SKIP LOCKED
     ), leased AS (
       UPDATE ${s}.jobs j SET lease_owner = $1, lease_token = gen_random_uuid()::text,
         lease_expires_at = now() + $2 * interval '1 millisecond'
       FROM cand WHERE j.id = cand.id AND cand.free
       RETURNING j.*
     ), started AS (
       UPDATE ${s}.runs SET status = 'Running', started_at = coalesce(started_at, now()), updated_at = now()
       WHERE id IN (SELECT run_id FROM leased WHERE kind <> 'wake') AND status = 'Queued'
     )
     SELECT (SELECT coalesce(jsonb_agg(to_jsonb(l) ORDER BY l.run_at, l.id), '[]') FROM leased l) AS jobs,
            (SELECT coalesce(jsonb_agg(to_jsonb(r)), '[]') FROM ${s}.runs r
              WHERE r.id IN (SELECT run_id FROM leased WHERE kind <> 'wake')) AS runs,
            (SELECT coalesce(jsonb_agg(jsonb_build_object('run_id', st.run_id, 'step_id', st.step_id,
                      'status', st.status, 'output', st.output, 'error', st.error)), '[]')
              FROM ${s}.steps st WHERE st.status IN ('completed', 'failed')
                AND st.run_id IN (SELECT run_id FROM leased WHERE kind <> 'wake')) AS steps,
            (SELECT count(*) FROM cand WHERE NOT free) AS constrained,
            EXTRACT(EPOCH FROM ((SELECT min(CASE WHEN lease_expires_at IS NOT NULL AND lease_expires_at > run_at
                                             THEN lease_expires_at ELSE run_at END)
                                 FROM ${s}.jobs WHERE id NOT IN (SELECT id FROM leased)) - now())) * 1000 AS next_jobs,
            EXTRACT(EPOCH FROM ((SELECT min(next_at) FROM ${s}.crons) - now())) * 1000 AS next_crons`,
    [owner, leaseMs, Math.max(1, max)],
  );
  const row = res.rows[0];
  const jobs = (row?.jobs ?? []).map(toJob);
  let claimed = withInvocations(db.functions, jobs, invocationsFrom(row?.runs ?? [], row?.steps ?? []));
  let blocked = false;
  if (Number(row?.constrained ?? 0) > 0 && claimed.length < max) {
    const more = await claimConstrained(db, owner, leaseMs, max - claimed.length);
    blocked = more.length === 0;
    claimed = [...claimed, ...more];
  }
  return { claimed, blocked, nextJobsMs: msUntil(row?.next_jobs), nextCronsMs: msUntil(row?.next_crons) };
}

interface CandidateRow {
  id: string;
  kind: JobKind;
  slot_keys: string[];
  slot_limits: number[];
  throttle: (ThrottleConfig & { key: string }) | null;
}

/**
 * Leases up to `max` due jobs, in due order, honouring concurrency slots (a job is skipped while
 * any of its keys is at its limit, without holding up other jobs) and throttles (a run's start
 * over its throttle is pushed back to when the bucket allows it). Claimers are serialized with
 * an advisory lock, so the accounting holds across executors sharing the database.
 */
async function claimConstrained(db: Db, owner: string, leaseMs: number, max: number): Promise<Claimed[]> {
  if (max <= 0) return [];
  const s = db.s;
  return db.tx(async (c) => {
    await c.query("SELECT pg_advisory_xact_lock(7362002)");
    const candidates = await c.query<CandidateRow>(
      `SELECT j.id, j.kind, j.slot_keys, j.slot_limits, j.throttle FROM ${s}.jobs j
       WHERE j.run_at <= now() AND (j.lease_expires_at IS NULL OR j.lease_expires_at < now())
         AND (j.kind = 'wake' OR cardinality(j.slot_keys) = 0 OR NOT EXISTS (
           SELECT 1 FROM unnest(j.slot_keys, j.slot_limits) AS slot(key, lim)
           WHERE (SELECT count(*) FROM ${s}.jobs j2
                  WHERE j2.lease_expires_at > now() AND j2.kind <> 'wake' AND slot.key = ANY(j2.slot_keys)) >= slot.lim))
       ORDER BY j.run_at, j.id
       LIMIT $1
       FOR UPDATE OF j SKIP LOCKED`,
      [max],
    );
    if (candidates.rows.length === 0) return [];
    const jobs = candidates.rows.map((row) => ({
      row,
      slots: row.kind === "wake" ? [] : row.slot_keys.map((key, i) => ({ key, limit: row.slot_limits[i] ?? 1 })),
    }));

    const keys = [...new Set(jobs.flatMap((j) => j.slots.map((slot) => slot.key)))];
    const inUse = new Map<string, number>();
    if (keys.length > 0) {
      const counts = await c.query<{ key: string; n: string }>(
        `SELECT k AS key, count(*) AS n FROM ${s}.jobs j, unnest(j.slot_keys) AS k
         WHERE j.lease_expires_at > now() AND j.kind <> 'wake' AND k = ANY($1::text[]) GROUP BY k`,
        [keys],
      );
      for (const r of counts.rows) inUse.set(r.key, Number(r.n));
    }
    const runnable = admitByConcurrency(jobs, inUse);

    const admitted: string[] = [];
    const delayed: Array<{ id: string; at: number }> = [];
    const buckets = new Map<string, number | undefined>();
    const throttled = runnable.filter((j) => j.row.throttle);
    if (throttled.length > 0) {
      const tats = await c.query<{ key: string; tat_ms: number }>(
        `SELECT key, tat_ms FROM ${s}.throttles WHERE key = ANY($1::text[]) FOR UPDATE`,
        [[...new Set(throttled.map((j) => j.row.throttle?.key ?? ""))]],
      );
      for (const r of tats.rows) buckets.set(r.key, r.tat_ms);
    }
    const now = Date.now();
    for (const job of runnable) {
      const config = job.row.throttle;
      if (!config) {
        admitted.push(job.row.id);
        continue;
      }
      const decision = throttle(config, buckets.get(config.key), now);
      if (decision.admitted) {
        buckets.set(config.key, decision.tat);
        admitted.push(job.row.id);
      } else delayed.push({ id: job.row.id, at: decision.retryAt });
    }
    if (throttled.length > 0) {
      const touched = [...buckets.entries()].filter((e): e is [string, number] => e[1] !== undefined);
      await c.query(
        `INSERT INTO ${s}.throttles (key, tat_ms, expires_at)
         SELECT k, t, to_timestamp(t / 1000) FROM unnest($1::text[], $2::float8[]) AS b(k, t)
         ON CONFLICT (key) DO UPDATE SET tat_ms = EXCLUDED.tat_ms, expires_at = EXCLUDED.expires_at`,
        [touched.map((e) => e[0]), touched.map((e) => e[1])],
      );
    }
    if (delayed.length > 0) {
      await c.query(
        `UPDATE ${s}.jobs j SET run_at = to_timestamp(d.at / 1000.0)
         FROM unnest($1::bigint[], $2::float8[]) AS d(id, at) WHERE j.id = d.id`,
        [delayed.map((d) => d.id), delayed.map((d) => d.at)],
      );
    }
    if (admitted.length === 0) return [];
    const leased = await c.query<JobRow>(
      `UPDATE ${s}.jobs SET lease_owner = $1, lease_token = gen_random_uuid()::text,
         lease_expires_at = now() + $2 * interval '1 millisecond', throttle = NULL
       WHERE id = ANY($3::bigint[])
       RETURNING *`,
      [owner, leaseMs, admitted],
    );
    const order = new Map(admitted.map((id, i) => [String(id), i]));
    const leasedJobs = leased.rows.map(toJob).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    return withInvocations(
      db.functions,
      leasedJobs,
      await loadInvocations(
        c,
        leasedJobs.map((j) => j.runId),
      ),
    );
  });
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

/**
 * Applies an invocation's outcome atomically, but only if we still hold the job's lease
 * (a lease lost to another executor means our result is stale and is dropped).
 */
export async function withJob<T>(
  db: Db,
  job: ClaimedJob,
  fn: (tx: JobTx) => Promise<T>,
): Promise<{ applied: true; value: T } | { applied: false }> {
  const s = db.s;
  return db.tx(async (c) => {
    const locked = await c.query<RunRow & { owned: boolean }>(
      `SELECT r.*, EXISTS (SELECT 1 FROM ${s}.jobs j WHERE j.id = $2 AND j.lease_token = $3) AS owned
       FROM ${s}.runs r WHERE r.id = $1 FOR UPDATE`,
      [job.runId, job.id, job.leaseToken],
    );
    const runRow = locked.rows[0];
    if (!runRow?.owned) return { applied: false };
    if (isTerminal(runRow.status)) {
      await c.query(`DELETE FROM ${s}.jobs WHERE id = $1`, [job.id]);
      return { applied: false };
    }
    return { applied: true, value: await fn(new JobTx(db.logger, c, job, toRun(runRow))) };
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
    const steps = ops.filter((op) => op.op === "StepRun" || op.op === "Step");
    for (const op of ops)
      if (!steps.includes(op)) db.logger.warn(`ignoring checkpointed op "${op.op}" for run ${runId}`);
    await tx.memoizeAll(
      steps.map((op) => ({ op, result: { type: "data", data: op.data ?? null } })),
      null,
    );
    await c.query(`UPDATE ${s}.jobs SET lease_expires_at = now() + $2 * interval '1 millisecond' WHERE id = $1`, [
      jobRow.id,
      leaseMs,
    ]);
    return "ok";
  });
}
