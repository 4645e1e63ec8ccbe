// Primitive state transitions for one leased job, all inside the transaction that applies an
// invocation's outcome.
import type pg from "pg";
import { InternalEvents } from "../consts";
import { eventNameMatches } from "../expression";
import type { JsonObject, JsonValue, MemoizedStep, SerializedError } from "../json";
import type { Logger } from "../log";
import type { SdkOp } from "../ops";
import type { Sql } from "./db";
import { ingestEventsTx } from "./events";
import { type Claimed, loadInvocations, withInvocations } from "./invocations";
import { type ClaimedJob, type EventInput, type JobRow, type RunRecord, toJob } from "./rows";

/** Leasing newly written jobs to this executor directly. */
export interface DirectLease {
  owner: string;
  leaseMs: number;
}

export class JobTx {
  private readonly s: string;

  constructor(
    private readonly logger: Logger,
    private readonly c: Sql,
    readonly job: ClaimedJob,
    readonly run: RunRecord,
  ) {
    this.s = c.s;
  }

  private q<R extends pg.QueryResultRow>(text: string, params: unknown[] = []) {
    return this.c.query<R>(text, params);
  }

  async setRequestVersion(version: number): Promise<void> {
    if (this.run.requestVersion !== null) return;
    await this.q(`UPDATE ${this.s}.runs SET request_version = $2 WHERE id = $1 AND request_version IS NULL`, [
      this.run.id,
      version,
    ]);
  }

  /**
   * Stores finished steps (first write wins), appends the newly stored ones to the run's stack in
   * op order, records each on the run's timeline, and sets the run's request version if it has none
   * yet (`requestVersion`) — one statement for any number of steps. With `completion`, the same
   * statement completes the run (its output, its jobs gone): a run that ends in the request that
   * finished its steps writes once. Returns the ids actually stored (a step finished earlier is left
   * alone).
   */
  async memoizeAll(
    entries: Array<{ op: SdkOp; result: MemoizedStep }>,
    startedAt: Date | null,
    requestVersion?: number,
    completion?: { output: JsonValue },
  ): Promise<Set<string>> {
    if (entries.length === 0) {
      if (requestVersion !== undefined) await this.setRequestVersion(requestVersion);
      if (completion) await this.completeRun(completion.output);
      return new Set();
    }
    const s = this.s;
    const res = await this.q<{ step_id: string }>(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[])
           WITH ORDINALITY AS i(step_id, name, display_name, op, status, output, error, ord)
       ), stored AS (
         INSERT INTO ${s}.steps AS st (run_id, step_id, name, display_name, op, status, output, error, attempts, errors, ended_at)
         SELECT $1, step_id, name, display_name, op, status, output, error, $9::int + 1,
                CASE WHEN error IS NULL THEN '[]'::jsonb
                     ELSE jsonb_build_array(jsonb_build_object('attempt', $9::int, 'error', error, 'at', now())) END,
                now()
         FROM input
         ON CONFLICT (run_id, step_id) DO UPDATE SET
           name = coalesce(EXCLUDED.name, st.name), display_name = coalesce(EXCLUDED.display_name, st.display_name),
           op = EXCLUDED.op, status = EXCLUDED.status, output = EXCLUDED.output, error = EXCLUDED.error,
           attempts = greatest(st.attempts, EXCLUDED.attempts), errors = st.errors || EXCLUDED.errors,
           ended_at = now(), updated_at = now()
         WHERE st.status NOT IN ('completed', 'failed')
         RETURNING step_id
       ), stack AS (
         UPDATE ${s}.runs SET updated_at = now(), request_version = coalesce(request_version, $11::int),
           stack = stack || (SELECT coalesce(jsonb_agg(i.step_id ORDER BY i.ord), '[]'::jsonb)
                             FROM input i WHERE i.step_id IN (SELECT step_id FROM stored)),
           status = CASE WHEN $12::boolean THEN 'Completed' ELSE status END,
           output = CASE WHEN $12::boolean THEN $13::jsonb ELSE output END,
           ended_at = CASE WHEN $12::boolean THEN now() ELSE ended_at END
         WHERE id = $1
       ), done AS (
         DELETE FROM ${s}.jobs WHERE run_id = $1 AND $12::boolean
       ), timeline AS (
         INSERT INTO ${s}.attempts (run_id, step_id, attempt, started_at, outcome, error)
         SELECT $1, i.step_id, $9, $10, i.status, i.error FROM input i WHERE i.step_id IN (SELECT step_id FROM stored)
       )
       SELECT step_id FROM stored`,
      [
        this.run.id,
        entries.map((e) => e.op.id),
        entries.map((e) => e.op.userlandId ?? e.op.name ?? null),
        entries.map((e) => e.op.displayName ?? e.op.name ?? null),
        entries.map((e) => e.op.op),
        entries.map((e) => (e.result.type === "error" ? "failed" : "completed")),
        entries.map((e) => (e.result.type === "data" ? JSON.stringify(e.result.data ?? null) : null)),
        entries.map((e) => (e.result.type === "error" ? JSON.stringify(e.result.error) : null)),
        this.job.attempt,
        startedAt,
        this.run.requestVersion === null ? (requestVersion ?? null) : null,
        completion !== undefined,
        completion ? JSON.stringify(completion.output ?? null) : null,
      ],
    );
    if (completion) await this.emitFinished("Completed", { result: completion.output ?? null });
    return new Set(res.rows.map((r) => r.step_id));
  }

  /** Steps that failed an attempt and will be retried: status, error log, timeline, history. */
  async recordStepErrors(
    entries: Array<{ op: SdkOp; error: SerializedError; retryInMs: number }>,
    startedAt: Date | null,
  ): Promise<void> {
    if (entries.length === 0) return;
    const s = this.s;
    await this.q(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::int[])
           AS i(step_id, name, display_name, op, error, retry_in)
       ), stored AS (
         INSERT INTO ${s}.steps AS st (run_id, step_id, name, display_name, op, status, attempts, errors)
         SELECT $1, step_id, name, display_name, op, 'retrying', $8::int + 1,
                jsonb_build_array(jsonb_build_object('attempt', $8::int, 'error', error, 'at', now()))
         FROM input
         ON CONFLICT (run_id, step_id) DO UPDATE SET status = 'retrying',
           name = coalesce(EXCLUDED.name, st.name), display_name = coalesce(EXCLUDED.display_name, st.display_name),
           attempts = greatest(st.attempts, EXCLUDED.attempts), errors = st.errors || EXCLUDED.errors, updated_at = now()
         WHERE st.status NOT IN ('completed', 'failed')
         RETURNING step_id
       ), timeline AS (
         INSERT INTO ${s}.attempts (run_id, step_id, attempt, started_at, outcome, error)
         SELECT $1, step_id, $8, $9, 'error', error FROM input
       )
       UPDATE ${s}.runs SET updated_at = now(), history = history || (
         SELECT jsonb_agg(jsonb_build_object('type', 'step_error', 'stepId', step_id, 'attempt', $8::int,
                                             'error', error, 'retryInMs', retry_in, 'at', now()))
         FROM input)
       WHERE id = $1`,
      [
        this.run.id,
        entries.map((e) => e.op.id),
        entries.map((e) => e.op.userlandId ?? e.op.name ?? null),
        entries.map((e) => e.op.displayName ?? e.op.name ?? null),
        entries.map((e) => e.op.op),
        entries.map((e) => JSON.stringify(e.error)),
        entries.map((e) => e.retryInMs),
        this.job.attempt,
        startedAt,
      ],
    );
  }

  async appendHistory(entry: JsonObject): Promise<void> {
    await this.q(
      `UPDATE ${this.s}.runs SET history = history || jsonb_build_array($2::jsonb || jsonb_build_object('at', now())),
         updated_at = now() WHERE id = $1`,
      [this.run.id, JSON.stringify(entry)],
    );
  }

  /** Re-queues this same job for another attempt. */
  async retry(delayMs: number): Promise<void> {
    await this.q(
      `UPDATE ${this.s}.jobs SET attempt = attempt + 1, run_at = now() + $2 * interval '1 millisecond',
         lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL WHERE id = $1`,
      [this.job.id, delayMs],
    );
  }

  /**
   * The app was not reached: the same attempt runs again later. Other due jobs of the same app
   * wait as long, so an app that is down gets probed, not sent every due job.
   */
  async defer(delayMs: number): Promise<void> {
    await this.q(
      `UPDATE ${this.s}.jobs SET run_at = now() + $2 * interval '1 millisecond',
         lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL WHERE id = $1`,
      [this.job.id, delayMs],
    );
    await this.q(
      `UPDATE ${this.s}.jobs SET run_at = now() + $2 * interval '1 millisecond'
       WHERE id <> $1 AND kind <> 'wake' AND run_at < now() + $2 * interval '1 millisecond'
         AND (lease_expires_at IS NULL OR lease_expires_at < now())
         AND function_slug IN (
           SELECT slug FROM ${this.s}.functions WHERE app_id = (SELECT app_id FROM ${this.s}.functions WHERE slug = $3))`,
      [this.job.id, delayMs, this.run.functionSlug],
    );
  }

  /** Parallel steps: one job each (none for a step already finished), in one statement. */
  async planAll(ops: SdkOp[], lease?: DirectLease): Promise<ClaimedJob[]> {
    if (ops.length === 0) return [];
    const s = this.s;
    const res = await this.q<JobRow>(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS i(step_id, name, display_name, op)
       ), finished AS (
         SELECT step_id FROM ${s}.steps WHERE run_id = $1 AND step_id IN (SELECT step_id FROM input)
           AND status IN ('completed', 'failed')
       ), planned AS (
         INSERT INTO ${s}.steps (run_id, step_id, name, display_name, op, status)
         SELECT $1, step_id, name, display_name, op, 'planned' FROM input
         ON CONFLICT (run_id, step_id) DO NOTHING
       )
       INSERT INTO ${s}.jobs (run_id, function_slug, kind, step_id, attempt, run_at, slot_keys, slot_limits,
                              lease_owner, lease_token, lease_expires_at)
       SELECT $1, $6, 'step', step_id, 0, now(), $7::text[], $8::int[],
              $9, CASE WHEN $9::text IS NULL THEN NULL ELSE gen_random_uuid()::text END,
              CASE WHEN $9::text IS NULL THEN NULL ELSE now() + $10 * interval '1 millisecond' END
       FROM input WHERE step_id NOT IN (SELECT step_id FROM finished)
       ON CONFLICT (run_id, step_id) WHERE kind = 'step' DO NOTHING
       RETURNING *`,
      [
        this.run.id,
        ops.map((op) => op.id),
        ops.map((op) => op.userlandId ?? op.name ?? null),
        ops.map((op) => op.displayName ?? op.name ?? null),
        ops.map((op) => op.op),
        this.run.functionSlug,
        this.run.slotKeys,
        this.run.slotLimits,
        this.leaseOwner(lease),
        lease?.leaseMs ?? 0,
      ],
    );
    return res.rows.filter((r) => r.lease_token !== null).map(toJob);
  }

  /** Jobs this process writes may be leased to it at once (no claim round trip) when no slots apply. */
  private leaseOwner(lease?: DirectLease): string | null {
    return lease && this.run.slotKeys.length === 0 ? lease.owner : null;
  }

  async scheduleSleep(op: SdkOp, delayMs: number): Promise<void> {
    await this.q(
      `INSERT INTO ${this.s}.steps (run_id, step_id, name, display_name, op, status, wake_at)
       VALUES ($1, $2, $3, $4, $5, 'sleeping', now() + $6 * interval '1 millisecond')
       ON CONFLICT (run_id, step_id) DO UPDATE SET status = 'sleeping', wake_at = EXCLUDED.wake_at, updated_at = now()
       WHERE ${this.s}.steps.status NOT IN ('completed', 'failed')`,
      [this.run.id, op.id, op.userlandId ?? op.name ?? null, op.displayName ?? op.name ?? null, op.op, delayMs],
    );
    await this.q(
      `INSERT INTO ${this.s}.jobs (run_id, function_slug, kind, wake_step_id, attempt, run_at)
       VALUES ($1, $2, 'wake', $3, 0, now() + $4 * interval '1 millisecond')
       ON CONFLICT (run_id, wake_step_id) WHERE kind = 'wake' DO NOTHING`,
      [this.run.id, this.run.functionSlug, op.id, delayMs],
    );
  }

  /**
   * Finishes this job. When nothing else is pending for the run (parallel steps, sleeps),
   * queues the next discovery request so the SDK can continue the function.
   */
  async finish(lease?: DirectLease): Promise<ClaimedJob[]> {
    const s = this.s;
    // Two statements: an INSERT cannot replace a unique row that its own statement deletes.
    await this.q(`DELETE FROM ${s}.jobs WHERE id = $1`, [this.job.id]);
    const res = await this.q<JobRow>(
      `INSERT INTO ${s}.jobs (run_id, function_slug, kind, attempt, run_at, slot_keys, slot_limits,
                              lease_owner, lease_token, lease_expires_at)
       SELECT $2, $3, 'discover', 0, now(), $4::text[], $5::int[],
              $6, CASE WHEN $6::text IS NULL THEN NULL ELSE gen_random_uuid()::text END,
              CASE WHEN $6::text IS NULL THEN NULL ELSE now() + $7 * interval '1 millisecond' END
       WHERE $1::bigint IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${s}.jobs WHERE run_id = $2)
       ON CONFLICT (run_id) WHERE kind = 'discover' DO NOTHING
       RETURNING *`,
      [
        this.job.id,
        this.run.id,
        this.run.functionSlug,
        this.run.slotKeys,
        this.run.slotLimits,
        this.leaseOwner(lease),
        lease?.leaseMs ?? 0,
      ],
    );
    return res.rows.filter((r) => r.lease_token !== null).map(toJob);
  }

  /** Turns jobs this transaction leased to us into runnable work (run state as of now). */
  async claimed(jobs: ClaimedJob[]): Promise<Claimed[]> {
    if (jobs.length === 0) return [];
    return withInvocations(
      this.c.functions,
      jobs,
      await loadInvocations(
        this.c,
        jobs.map((j) => j.runId),
      ),
    );
  }

  /** One row of the run's timeline: an SDK request or a checkpointed step and how it ended. */
  async recordAttempt(entry: {
    stepId: string | null;
    attempt: number;
    startedAt: Date | null;
    outcome: string;
    error?: SerializedError;
  }): Promise<void> {
    await this.q(
      `INSERT INTO ${this.s}.attempts (run_id, step_id, attempt, started_at, outcome, error)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [
        this.run.id,
        entry.stepId,
        entry.attempt,
        entry.startedAt,
        entry.outcome,
        entry.error ? JSON.stringify(entry.error) : null,
      ],
    );
  }

  async completeRun(output: JsonValue): Promise<void> {
    await this.q(
      `WITH jobs AS (DELETE FROM ${this.s}.jobs WHERE run_id = $1)
       UPDATE ${this.s}.runs SET status = 'Completed', output = $2::jsonb, ended_at = now(), updated_at = now() WHERE id = $1`,
      [this.run.id, JSON.stringify(output ?? null)],
    );
    await this.emitFinished("Completed", { result: output ?? null });
  }

  async failRun(error: SerializedError): Promise<void> {
    await this.q(
      `UPDATE ${this.s}.runs SET status = 'Failed', error = $2::jsonb, ended_at = now(), updated_at = now() WHERE id = $1`,
      [this.run.id, JSON.stringify(error)],
    );
    await this.q(`DELETE FROM ${this.s}.jobs WHERE run_id = $1`, [this.run.id]);
    await this.appendHistory({ type: "run_failed", attempt: this.job.attempt, error });
    const errorPayload: JsonObject = { name: error.name, message: error.message, stack: error.stack ?? "" };
    await this.emitFinished("Failed", { error: errorPayload });
  }

  /**
   * `inngest/function.finished`, and `inngest/function.failed` for a failure, with Inngest's
   * payload: `function_id`, `run_id`, `event`, `events`, `error` or `result`, `_inngest.status`.
   * The failed event's id is the run id, so it can only ever start one failure handler.
   */
  private async emitFinished(status: "Completed" | "Failed", extra: JsonObject): Promise<void> {
    const event = this.run.event;
    // Runs started by these events (e.g. onFailure handlers) emit none, so a failing handler can't loop.
    if (typeof event.name === "string" && event.name.startsWith("inngest/function.")) return;
    const data: JsonObject = {
      function_id: this.run.functionSlug,
      run_id: this.run.id,
      event,
      events: [event],
      ...extra,
      _inngest: { status },
    };
    const ts = Date.now();
    const events: EventInput[] = [{ name: InternalEvents.FunctionFinished, data, ts }];
    if (status === "Failed") events.push({ id: this.run.id, name: InternalEvents.FunctionFailed, data, ts });
    // Stored only when a function listens (an onFailure handler, say): a run's finished event is
    // a row as large as its trigger, written for every run and read by nothing otherwise.
    const fns = this.c.functions.list();
    const listened = events.filter((e) => fns.some((fn) => fn.triggers.some((t) => eventNameMatches(t.event, e.name))));
    if (listened.length > 0) await ingestEventsTx(this.c, this.logger, listened);
  }
}
