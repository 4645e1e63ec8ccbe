// Primitive state transitions for one leased job, all inside the transaction that applies an
// invocation's outcome.
import type pg from "pg";
import { InternalEvents } from "../consts";
import type { JsonObject, JsonValue, MemoizedStep, SerializedError } from "../json";
import type { Logger } from "../log";
import type { SdkOp } from "../ops";
import type { Sql } from "./db";
import { ingestEventsTx } from "./events";
import type { ClaimedJob, EventInput, RunRecord, StepStatus } from "./rows";

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

  /** Stores a step's final result once (first write wins) and appends it to the run's stack. */
  async memoize(op: SdkOp, result: MemoizedStep): Promise<boolean> {
    const failed = result.type === "error";
    const res = await this.q(
      `INSERT INTO ${this.s}.steps (run_id, step_id, name, display_name, op, status, output, error, attempts, errors, ended_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9,
               CASE WHEN $8::jsonb IS NULL THEN '[]'::jsonb
                    ELSE jsonb_build_array(jsonb_build_object('attempt', $10::int, 'error', $8::jsonb, 'at', now())) END,
               now())
       ON CONFLICT (run_id, step_id) DO UPDATE SET
         name = coalesce(EXCLUDED.name, ${this.s}.steps.name),
         display_name = coalesce(EXCLUDED.display_name, ${this.s}.steps.display_name),
         op = EXCLUDED.op, status = EXCLUDED.status, output = EXCLUDED.output, error = EXCLUDED.error,
         attempts = greatest(${this.s}.steps.attempts, EXCLUDED.attempts),
         errors = ${this.s}.steps.errors || EXCLUDED.errors,
         ended_at = now(), updated_at = now()
       WHERE ${this.s}.steps.status NOT IN ('completed', 'failed')
       RETURNING step_id`,
      [
        this.run.id,
        op.id,
        op.userlandId ?? op.name ?? null,
        op.displayName ?? op.name ?? null,
        op.op,
        failed ? "failed" : "completed",
        failed ? null : JSON.stringify(result.data),
        failed ? JSON.stringify(result.error) : null,
        this.job.attempt + 1,
        this.job.attempt,
      ],
    );
    if (res.rowCount === 0) return false;
    await this.q(
      `UPDATE ${this.s}.runs SET stack = stack || jsonb_build_array($2::text), updated_at = now() WHERE id = $1`,
      [this.run.id, op.id],
    );
    return true;
  }

  async recordStepError(op: SdkOp, error: SerializedError, retryInMs: number): Promise<void> {
    await this.q(
      `INSERT INTO ${this.s}.steps (run_id, step_id, name, display_name, op, status, attempts, errors)
       VALUES ($1, $2, $3, $4, $5, 'retrying', $6,
               jsonb_build_array(jsonb_build_object('attempt', $7::int, 'error', $8::jsonb, 'at', now())))
       ON CONFLICT (run_id, step_id) DO UPDATE SET status = 'retrying',
         name = coalesce(EXCLUDED.name, ${this.s}.steps.name),
         display_name = coalesce(EXCLUDED.display_name, ${this.s}.steps.display_name),
         attempts = greatest(${this.s}.steps.attempts, EXCLUDED.attempts),
         errors = ${this.s}.steps.errors || EXCLUDED.errors, updated_at = now()
       WHERE ${this.s}.steps.status NOT IN ('completed', 'failed')`,
      [
        this.run.id,
        op.id,
        op.userlandId ?? op.name ?? null,
        op.displayName ?? op.name ?? null,
        op.op,
        this.job.attempt + 1,
        this.job.attempt,
        JSON.stringify(error),
      ],
    );
    await this.appendHistory({ type: "step_error", stepId: op.id, attempt: this.job.attempt, error, retryInMs });
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

  async planStep(op: SdkOp): Promise<void> {
    const existing = await this.q<{ status: StepStatus }>(
      `SELECT status FROM ${this.s}.steps WHERE run_id = $1 AND step_id = $2`,
      [this.run.id, op.id],
    );
    const status = existing.rows[0]?.status;
    if (status === "completed" || status === "failed") return;
    if (!status) {
      await this.q(
        `INSERT INTO ${this.s}.steps (run_id, step_id, name, display_name, op, status) VALUES ($1, $2, $3, $4, $5, 'planned')
         ON CONFLICT (run_id, step_id) DO NOTHING`,
        [this.run.id, op.id, op.userlandId ?? op.name ?? null, op.displayName ?? op.name ?? null, op.op],
      );
    }
    await this.q(
      `INSERT INTO ${this.s}.jobs (run_id, function_slug, kind, step_id, attempt, run_at, slot_keys, slot_limits)
       VALUES ($1, $2, 'step', $3, 0, now(), $4::text[], $5::int[])
       ON CONFLICT (run_id, step_id) WHERE kind = 'step' DO NOTHING`,
      [this.run.id, this.run.functionSlug, op.id, this.run.slotKeys, this.run.slotLimits],
    );
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
  async finish(): Promise<void> {
    await this.q(`DELETE FROM ${this.s}.jobs WHERE id = $1`, [this.job.id]);
    await this.q(
      `INSERT INTO ${this.s}.jobs (run_id, function_slug, kind, attempt, run_at, slot_keys, slot_limits)
       SELECT $1, $2, 'discover', 0, now(), $3::text[], $4::int[]
       WHERE NOT EXISTS (SELECT 1 FROM ${this.s}.jobs WHERE run_id = $1)
       ON CONFLICT (run_id) WHERE kind = 'discover' DO NOTHING`,
      [this.run.id, this.run.functionSlug, this.run.slotKeys, this.run.slotLimits],
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
      `UPDATE ${this.s}.runs SET status = 'Completed', output = $2::jsonb, ended_at = now(), updated_at = now() WHERE id = $1`,
      [this.run.id, JSON.stringify(output ?? null)],
    );
    await this.q(`DELETE FROM ${this.s}.jobs WHERE run_id = $1`, [this.run.id]);
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
    await ingestEventsTx(this.c, this.logger, events);
  }
}
