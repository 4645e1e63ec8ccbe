// PostgreSQL persistence: apps/functions, events, runs, memoized steps and the job queue.
// Plain `pg` with its own schema so it never interferes with the app's Prisma migrations.
//
// Durability model: every state change that the SDK's replay depends on (a step's result, the
// completion order "stack", the next job) is written in one transaction, and a job is claimed
// with a lease (FOR UPDATE SKIP LOCKED + lease_expires_at). A crashed executor's jobs become
// claimable again once their lease expires, so work resumes at the last stored step.
import pg from "pg";
import type { Logger } from "./log";
import {
  compileExpression,
  type CompiledExpression,
  eventNameMatches,
  idempotencyKey,
  type JsonObject,
  type JsonValue,
  type MemoizedStep,
  type SdkOp,
  type SerializedError,
  seededUlid,
  ulid,
} from "./protocol";
import type { AppRegistration, EventTrigger, FunctionDefinition } from "./registration";

export type RunStatus = "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";
export type JobKind = "discover" | "step" | "wake";
export type StepStatus = "planned" | "retrying" | "sleeping" | "completed" | "failed";

export interface StoredFunction extends FunctionDefinition {
  /** Stable UUID handed to the SDK as `ctx.fn_id` (needed for async checkpointing). */
  internalId: string;
  deletedAt: Date | null;
}

export interface ClaimedJob {
  id: string;
  runId: string;
  functionSlug: string;
  kind: JobKind;
  stepId: string | null;
  wakeStepId: string | null;
  attempt: number;
  leaseToken: string;
}

export interface RunRecord {
  id: string;
  functionSlug: string;
  eventInternalId: string;
  event: JsonObject;
  status: RunStatus;
  output: JsonValue;
  error: SerializedError | null;
  stack: string[];
  requestVersion: number | null;
  history: JsonValue[];
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

export interface StepRecord {
  stepId: string;
  name: string | null;
  displayName: string | null;
  op: string | null;
  status: StepStatus;
  output: JsonValue;
  error: SerializedError | null;
  attempts: number;
  errors: JsonValue[];
  wakeAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
}

export interface EventInput {
  id?: string;
  name: string;
  data: JsonObject;
  ts: number;
  v?: string;
  user?: JsonObject;
}

export interface Invocation {
  run: RunRecord;
  fn: StoredFunction | undefined;
  steps: Record<string, MemoizedStep>;
}

const terminal: RunStatus[] = ["Completed", "Failed", "Cancelled"];
const isTerminal = (s: RunStatus) => terminal.includes(s);
const DEDUPE_WINDOW = "24 hours";

type Queryable = pg.Pool | pg.PoolClient;

/** Thrown for any query after `kill()`, so a "crashed" executor writes nothing more. */
export class StoreKilledError extends Error {
  override name = "StoreKilledError";
}

export interface StoreOptions {
  connectionString: string;
  poolSize: number;
  schema: string;
  logger: Logger;
  /** Force one-at-a-time DB access; auto-enabled when the server is PGlite. */
  serializeQueries?: boolean;
}

export class Store {
  readonly pool: pg.Pool;
  private readonly s: string;
  private readonly logger: Logger;
  private killed = false;
  /**
   * The embedded PGlite socket server runs every connection on one backend and does not keep
   * one connection's extended-protocol messages (Parse/Bind/Execute) together, so concurrent
   * connections clobber each other's unnamed statements ("prepared statement does not exist").
   * Against it we run one query/transaction at a time; PGlite is single-threaded anyway.
   */
  private serialize: boolean;
  private lock: Promise<void> = Promise.resolve();
  private readonly exprCache = new Map<string, CompiledExpression | null>();

  constructor(options: StoreOptions) {
    this.serialize = options.serializeQueries ?? false;
    if (!/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new Error(`Invalid schema name "${options.schema}"`);
    this.s = `"${options.schema}"`;
    this.logger = options.logger;
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize });
    // Idle clients can be dropped by the server (e.g. the embedded server stopping); don't crash.
    this.pool.on("error", (err) => this.logger.debug("idle pg client error", { err: err.message }));
  }

  kill(): void {
    this.killed = true;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.serialize) return fn();
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((r) => {
      release = r;
    });
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private async q<R extends pg.QueryResultRow>(
    db: Queryable,
    text: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    if (this.killed) throw new StoreKilledError("executor was killed");
    // Queries on a transaction's client already hold the lock.
    if (db === this.pool) return this.exclusive(() => this.pool.query<R>(text, params));
    return db.query<R>(text, params);
  }

  tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.txUnlocked(fn));
  }

  private async txUnlocked<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.killed) throw new StoreKilledError("executor was killed");
    const c = await this.pool.connect();
    let broken = false;
    try {
      await c.query("BEGIN");
      const out = await fn(c);
      if (this.killed) throw new StoreKilledError("executor was killed");
      await c.query("COMMIT");
      return out;
    } catch (err) {
      if (this.killed) {
        // Destroying the connection makes the server roll back, like a real crash.
        broken = true;
      } else {
        try {
          await c.query("ROLLBACK");
        } catch {
          broken = true;
        }
      }
      throw err;
    } finally {
      c.release(broken);
    }
  }

  async init(): Promise<void> {
    const s = this.s;
    const version = await this.pool.query<{ version: string }>("SELECT version()");
    if (version.rows[0]?.version.includes("PGlite") && !this.serialize) {
      this.serialize = true;
      this.logger.debug("PGlite detected: serializing database access");
    }
    await this.tx(async (c) => {
      // Serialize concurrent executors creating the schema (CREATE ... IF NOT EXISTS can race).
      await c.query("SELECT pg_advisory_xact_lock(7362001)");
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await c.query(`
        CREATE TABLE IF NOT EXISTS ${s}.apps (
          id text PRIMARY KEY,
          url text NOT NULL,
          sdk text,
          framework text,
          warnings jsonb NOT NULL DEFAULT '[]',
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now()
        )`);
      await c.query(`
        CREATE TABLE IF NOT EXISTS ${s}.functions (
          slug text PRIMARY KEY,
          internal_id uuid NOT NULL DEFAULT gen_random_uuid(),
          app_id text NOT NULL,
          name text NOT NULL,
          step_url text NOT NULL,
          triggers jsonb NOT NULL,
          max_attempts integer NOT NULL,
          idempotency text,
          concurrency_limit integer,
          warnings jsonb NOT NULL DEFAULT '[]',
          config jsonb NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          deleted_at timestamptz
        )`);
      await c.query(`
        CREATE TABLE IF NOT EXISTS ${s}.events (
          internal_id text PRIMARY KEY,
          id text NOT NULL,
          name text NOT NULL,
          payload jsonb NOT NULL,
          received_at timestamptz NOT NULL DEFAULT now()
        )`);
      await c.query(`CREATE INDEX IF NOT EXISTS events_id_idx ON ${s}.events (id)`);
      await c.query(`
        CREATE TABLE IF NOT EXISTS ${s}.event_dedupe (
          event_id text PRIMARY KEY,
          internal_id text NOT NULL,
          expires_at timestamptz NOT NULL
        )`);
      await c.query(`
        CREATE TABLE IF NOT EXISTS ${s}.runs (
          id text PRIMARY KEY,
          function_slug text NOT NULL,
          event_internal_id text NOT NULL,
          event jsonb NOT NULL,
          status text NOT NULL,
          output jsonb,
          error jsonb,
          stack jsonb NOT NULL DEFAULT '[]',
          request_version integer,
          idempotency_key text,
          history jsonb NOT NULL DEFAULT '[]',
          created_at timestamptz NOT NULL DEFAULT now(),
          started_at timestamptz,
          ended_at timestamptz,
          updated_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (function_slug, event_internal_id)
        )`);
      await c.query(`CREATE INDEX IF NOT EXISTS runs_event_idx ON ${s}.runs (event_internal_id)`);
      await c.query(`
        CREATE TABLE IF NOT EXISTS ${s}.idempotency_keys (
          function_slug text NOT NULL,
          key text NOT NULL,
          run_id text NOT NULL,
          expires_at timestamptz NOT NULL,
          PRIMARY KEY (function_slug, key)
        )`);
      await c.query(`
        CREATE TABLE IF NOT EXISTS ${s}.steps (
          run_id text NOT NULL,
          step_id text NOT NULL,
          name text,
          display_name text,
          op text,
          status text NOT NULL,
          output jsonb,
          error jsonb,
          attempts integer NOT NULL DEFAULT 0,
          errors jsonb NOT NULL DEFAULT '[]',
          wake_at timestamptz,
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          ended_at timestamptz,
          PRIMARY KEY (run_id, step_id)
        )`);
      await c.query(`
        CREATE TABLE IF NOT EXISTS ${s}.jobs (
          id bigserial PRIMARY KEY,
          run_id text NOT NULL,
          function_slug text NOT NULL,
          kind text NOT NULL,
          step_id text,
          wake_step_id text,
          attempt integer NOT NULL DEFAULT 0,
          run_at timestamptz NOT NULL DEFAULT now(),
          lease_owner text,
          lease_token text,
          lease_expires_at timestamptz,
          created_at timestamptz NOT NULL DEFAULT now()
        )`);
      await c.query(`CREATE INDEX IF NOT EXISTS jobs_run_at_idx ON ${s}.jobs (run_at)`);
      await c.query(`CREATE INDEX IF NOT EXISTS jobs_run_idx ON ${s}.jobs (run_id)`);
      // One discovery job per run; one job per planned step; one wake-up per sleep.
      await c.query(
        `CREATE UNIQUE INDEX IF NOT EXISTS jobs_discover_uniq ON ${s}.jobs (run_id) WHERE kind = 'discover'`,
      );
      await c.query(
        `CREATE UNIQUE INDEX IF NOT EXISTS jobs_step_uniq ON ${s}.jobs (run_id, step_id) WHERE kind = 'step'`,
      );
      await c.query(
        `CREATE UNIQUE INDEX IF NOT EXISTS jobs_wake_uniq ON ${s}.jobs (run_id, wake_step_id) WHERE kind = 'wake'`,
      );
    });
  }

  // -------------------------------------------------------------------------
  // Registration

  async registerApp(reg: AppRegistration): Promise<void> {
    const s = this.s;
    await this.tx(async (c) => {
      await c.query(
        `INSERT INTO ${s}.apps (id, url, sdk, framework, warnings) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, sdk = EXCLUDED.sdk, framework = EXCLUDED.framework,
           warnings = EXCLUDED.warnings, updated_at = now()`,
        [reg.appId, reg.url, reg.sdk ?? null, reg.framework ?? null, JSON.stringify(reg.warnings)],
      );
      for (const fn of reg.functions) {
        await c.query(
          `INSERT INTO ${s}.functions (slug, app_id, name, step_url, triggers, max_attempts, idempotency,
             concurrency_limit, warnings, config)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9::jsonb, $10::jsonb)
           ON CONFLICT (slug) DO UPDATE SET app_id = EXCLUDED.app_id, name = EXCLUDED.name,
             step_url = EXCLUDED.step_url, triggers = EXCLUDED.triggers, max_attempts = EXCLUDED.max_attempts,
             idempotency = EXCLUDED.idempotency, concurrency_limit = EXCLUDED.concurrency_limit,
             warnings = EXCLUDED.warnings, config = EXCLUDED.config, updated_at = now(), deleted_at = NULL`,
          [
            fn.slug,
            fn.appId,
            fn.name,
            fn.stepUrl,
            JSON.stringify(fn.triggers),
            fn.maxAttempts,
            fn.idempotency ?? null,
            fn.concurrencyLimit ?? null,
            JSON.stringify(fn.warnings),
            JSON.stringify(fn.config),
          ],
        );
      }
      await c.query(
        `UPDATE ${s}.functions SET deleted_at = now() WHERE app_id = $1 AND deleted_at IS NULL AND NOT (slug = ANY($2::text[]))`,
        [reg.appId, reg.functions.map((f) => f.slug)],
      );
    });
  }

  async listFunctions(db: Queryable = this.pool): Promise<StoredFunction[]> {
    const res = await this.q<FunctionRow>(db, `SELECT * FROM ${this.s}.functions WHERE deleted_at IS NULL`);
    return res.rows.map(toFunction);
  }

  async getFunction(slug: string, db: Queryable = this.pool): Promise<StoredFunction | undefined> {
    const res = await this.q<FunctionRow>(db, `SELECT * FROM ${this.s}.functions WHERE slug = $1`, [slug]);
    const row = res.rows[0];
    return row ? toFunction(row) : undefined;
  }

  // -------------------------------------------------------------------------
  // Events and triggering

  /** Stores events (de-duplicated by `id` for 24 h) and creates the runs they trigger. */
  async ingestEvents(events: EventInput[], idSeed?: string): Promise<{ ids: string[]; runIds: string[] }> {
    return this.tx((c) => this.ingestEventsTx(c, events, idSeed));
  }

  async ingestEventsTx(
    c: pg.PoolClient,
    events: EventInput[],
    idSeed?: string,
  ): Promise<{ ids: string[]; runIds: string[] }> {
    const s = this.s;
    const ids: string[] = [];
    const runIds: string[] = [];
    let fns: StoredFunction[] | undefined;

    for (const [index, input] of events.entries()) {
      const internalId = (idSeed && seededUlid(idSeed, index)) || ulid();

      if (input.id) {
        const claimed = await this.q<{ internal_id: string }>(
          c,
          `INSERT INTO ${s}.event_dedupe (event_id, internal_id, expires_at)
           VALUES ($1, $2, now() + interval '${DEDUPE_WINDOW}')
           ON CONFLICT (event_id) DO UPDATE SET internal_id = EXCLUDED.internal_id, expires_at = EXCLUDED.expires_at
             WHERE ${s}.event_dedupe.expires_at < now()
           RETURNING internal_id`,
          [input.id, internalId],
        );
        if (claimed.rowCount === 0) {
          const existing = await this.q<{ internal_id: string }>(
            c,
            `SELECT internal_id FROM ${s}.event_dedupe WHERE event_id = $1`,
            [input.id],
          );
          ids.push(existing.rows[0]?.internal_id ?? internalId);
          this.logger.debug("duplicate event ignored", { id: input.id, name: input.name });
          continue;
        }
      }

      const payload: JsonObject = {
        id: input.id ?? internalId,
        name: input.name,
        data: input.data,
        ts: input.ts,
        ...(input.v !== undefined ? { v: input.v } : {}),
        ...(input.user !== undefined ? { user: input.user } : {}),
      };
      const inserted = await this.q(
        c,
        `INSERT INTO ${s}.events (internal_id, id, name, payload) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (internal_id) DO NOTHING RETURNING internal_id`,
        [internalId, payload.id, input.name, JSON.stringify(payload)],
      );
      ids.push(internalId);
      // Same seeded id = the SDK retried a send we already stored.
      if (inserted.rowCount === 0) continue;

      fns ??= await this.listFunctions(c);
      for (const fn of fns) {
        if (!fn.triggers.some((t) => this.triggerMatches(t, payload))) continue;
        const runId = await this.createRun(c, fn, internalId, payload);
        if (runId) runIds.push(runId);
      }
    }
    return { ids, runIds };
  }

  private expression(source: string): CompiledExpression | null {
    let compiled = this.exprCache.get(source);
    if (compiled === undefined) {
      try {
        compiled = compileExpression(source);
      } catch (err) {
        this.logger.warn(`unsupported expression "${source}": ${(err as Error).message}`);
        compiled = null;
      }
      this.exprCache.set(source, compiled);
    }
    return compiled;
  }

  private triggerMatches(trigger: EventTrigger, event: JsonObject): boolean {
    if (typeof event.name !== "string" || !eventNameMatches(trigger.event, event.name)) return false;
    if (!trigger.expression) return true;
    const expr = this.expression(trigger.expression);
    return expr ? Boolean(expr.evaluate({ event })) : false;
  }

  private async createRun(
    c: pg.PoolClient,
    fn: StoredFunction,
    eventInternalId: string,
    event: JsonObject,
  ): Promise<string | undefined> {
    const s = this.s;
    const runId = ulid();
    let key: string | undefined;
    if (fn.idempotency) {
      const expr = this.expression(fn.idempotency);
      key = expr ? idempotencyKey(expr, event) : undefined;
      if (key !== undefined) {
        const claimed = await this.q(
          c,
          `INSERT INTO ${s}.idempotency_keys (function_slug, key, run_id, expires_at)
           VALUES ($1, $2, $3, now() + interval '${DEDUPE_WINDOW}')
           ON CONFLICT (function_slug, key) DO UPDATE SET run_id = EXCLUDED.run_id, expires_at = EXCLUDED.expires_at
             WHERE ${s}.idempotency_keys.expires_at < now()
           RETURNING run_id`,
          [fn.slug, key, runId],
        );
        if (claimed.rowCount === 0) {
          this.logger.info(`skipping ${fn.slug}: idempotency key "${key}" already used in the last 24h`);
          return undefined;
        }
      }
    }
    const inserted = await this.q(
      c,
      `INSERT INTO ${s}.runs (id, function_slug, event_internal_id, event, status, idempotency_key)
       VALUES ($1, $2, $3, $4::jsonb, 'Queued', $5)
       ON CONFLICT (function_slug, event_internal_id) DO NOTHING RETURNING id`,
      [runId, fn.slug, eventInternalId, JSON.stringify(event), key ?? null],
    );
    if (inserted.rowCount === 0) return undefined;
    await this.q(
      c,
      `INSERT INTO ${s}.jobs (run_id, function_slug, kind, attempt, run_at) VALUES ($1, $2, 'discover', 0, now())`,
      [runId, fn.slug],
    );
    this.logger.debug(`run ${runId} created for ${fn.slug}`);
    return runId;
  }

  // -------------------------------------------------------------------------
  // Job queue

  /** Leases the next due job, honouring function-wide concurrency limits (best effort across executors). */
  async claimJob(owner: string, leaseMs: number): Promise<ClaimedJob | undefined> {
    const s = this.s;
    const res = await this.q<JobRow>(
      this.pool,
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
  async nextDueInMs(): Promise<number | undefined> {
    const res = await this.q<{ ms: string | number | null }>(
      this.pool,
      `SELECT EXTRACT(EPOCH FROM (min(CASE WHEN lease_expires_at IS NOT NULL AND lease_expires_at > run_at
                                       THEN lease_expires_at ELSE run_at END) - now())) * 1000 AS ms
       FROM ${this.s}.jobs`,
    );
    const ms = res.rows[0]?.ms;
    return ms === null || ms === undefined ? undefined : Math.max(0, Number(ms));
  }

  async renewLeases(tokens: string[], leaseMs: number): Promise<void> {
    if (tokens.length === 0) return;
    await this.q(
      this.pool,
      // SKIP LOCKED: a job locked by an outcome transaction is being rewritten anyway, and
      // waiting on it could deadlock with that transaction's run-wide job updates.
      `UPDATE ${this.s}.jobs SET lease_expires_at = now() + $2 * interval '1 millisecond'
       WHERE id IN (SELECT id FROM ${this.s}.jobs WHERE lease_token = ANY($1::text[]) FOR UPDATE SKIP LOCKED)`,
      [tokens, leaseMs],
    );
  }

  /** Makes jobs claimable again (graceful shutdown, or an internal error while processing). */
  async releaseLeases(tokens: string[], delayMs = 0): Promise<void> {
    if (tokens.length === 0) return;
    await this.q(
      this.pool,
      `UPDATE ${this.s}.jobs SET lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
         run_at = greatest(run_at, now() + $2 * interval '1 millisecond')
       WHERE lease_token = ANY($1::text[])`,
      [tokens, delayMs],
    );
  }

  /** Everything needed to call the SDK for a job; `undefined` when the run is already finished. */
  async loadInvocation(job: ClaimedJob): Promise<Invocation | undefined> {
    const s = this.s;
    const run = await this.getRunRecord(job.runId);
    if (!run || isTerminal(run.status)) {
      await this.q(this.pool, `DELETE FROM ${s}.jobs WHERE id = $1 AND lease_token = $2`, [job.id, job.leaseToken]);
      return undefined;
    }
    const fn = await this.getFunction(run.functionSlug);
    const steps = await this.q<{ step_id: string; status: StepStatus; output: JsonValue; error: SerializedError }>(
      this.pool,
      `SELECT step_id, status, output, error FROM ${s}.steps WHERE run_id = $1 AND status IN ('completed', 'failed')`,
      [job.runId],
    );
    const memo: Record<string, MemoizedStep> = {};
    for (const row of steps.rows) {
      memo[row.step_id] =
        row.status === "completed" ? { type: "data", data: row.output ?? null } : { type: "error", error: row.error };
    }
    if (run.status === "Queued") {
      await this.q(
        this.pool,
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
  async withJob(job: ClaimedJob, fn: (tx: JobTx) => Promise<void>): Promise<boolean> {
    const s = this.s;
    return this.tx(async (c) => {
      const run = await this.q<RunRow>(c, `SELECT * FROM ${s}.runs WHERE id = $1 FOR UPDATE`, [job.runId]);
      const owned = await this.q(c, `SELECT id FROM ${s}.jobs WHERE id = $1 AND lease_token = $2 FOR UPDATE`, [
        job.id,
        job.leaseToken,
      ]);
      const runRow = run.rows[0];
      if (!runRow || owned.rowCount === 0) return false;
      if (isTerminal(runRow.status)) {
        await this.q(c, `DELETE FROM ${s}.jobs WHERE id = $1`, [job.id]);
        return false;
      }
      await fn(new JobTx(this, c, s, job, toRun(runRow)));
      return true;
    });
  }

  /** Async checkpoint from the SDK (`POST /v1/checkpoint/:runId/async`); `stale` maps to HTTP 409. */
  async checkpoint(runId: string, queueItemId: string, ops: SdkOp[], leaseMs: number): Promise<"ok" | "stale"> {
    const s = this.s;
    return this.tx(async (c) => {
      const run = await this.q<RunRow>(c, `SELECT * FROM ${s}.runs WHERE id = $1 FOR UPDATE`, [runId]);
      const jobRes = await this.q<JobRow>(
        c,
        `SELECT * FROM ${s}.jobs WHERE run_id = $1 AND lease_token = $2 FOR UPDATE`,
        [runId, queueItemId],
      );
      const runRow = run.rows[0];
      const jobRow = jobRes.rows[0];
      if (!runRow || !jobRow || isTerminal(runRow.status)) return "stale";
      const tx = new JobTx(this, c, s, toJob(jobRow), toRun(runRow));
      for (const op of ops) {
        if (op.op === "StepRun" || op.op === "Step") await tx.memoize(op, { type: "data", data: op.data ?? null });
        else this.logger.warn(`ignoring checkpointed op "${op.op}" for run ${runId}`);
      }
      await this.q(c, `UPDATE ${s}.jobs SET lease_expires_at = now() + $2 * interval '1 millisecond' WHERE id = $1`, [
        jobRow.id,
        leaseMs,
      ]);
      return "ok";
    });
  }

  // -------------------------------------------------------------------------
  // Inspection

  async getRunRecord(runId: string): Promise<RunRecord | undefined> {
    const res = await this.q<RunRow>(this.pool, `SELECT * FROM ${this.s}.runs WHERE id = $1`, [runId]);
    const row = res.rows[0];
    return row ? toRun(row) : undefined;
  }

  async getSteps(runId: string): Promise<StepRecord[]> {
    const res = await this.q<StepRow>(
      this.pool,
      `SELECT * FROM ${this.s}.steps WHERE run_id = $1 ORDER BY created_at, step_id`,
      [runId],
    );
    return res.rows.map(toStep);
  }

  /** Looks an event up by its internal id or by the id the sender gave it. */
  async findEvent(eventId: string): Promise<{ internalId: string; payload: JsonObject; receivedAt: Date } | undefined> {
    const res = await this.q<{ internal_id: string; payload: JsonObject; received_at: Date }>(
      this.pool,
      `SELECT internal_id, payload, received_at FROM ${this.s}.events
       WHERE internal_id = $1 OR id = $1 ORDER BY (internal_id = $1) DESC, received_at DESC LIMIT 1`,
      [eventId],
    );
    const row = res.rows[0];
    return row ? { internalId: row.internal_id, payload: row.payload, receivedAt: row.received_at } : undefined;
  }

  async getRunsForEvent(internalId: string): Promise<RunRecord[]> {
    const res = await this.q<RunRow>(
      this.pool,
      `SELECT * FROM ${this.s}.runs WHERE event_internal_id = $1 ORDER BY created_at, id`,
      [internalId],
    );
    return res.rows.map(toRun);
  }

  /** Used by `failRun`/`completeRun` to emit `inngest/function.*` events in the same transaction. */
  internalQuery<R extends pg.QueryResultRow>(c: pg.PoolClient, text: string, params: unknown[] = []) {
    return this.q<R>(c, text, params);
  }
}

/** Primitive state transitions for one leased job, all inside one transaction. */
export class JobTx {
  constructor(
    private readonly store: Store,
    private readonly c: pg.PoolClient,
    private readonly s: string,
    readonly job: ClaimedJob,
    readonly run: RunRecord,
  ) {}

  private q<R extends pg.QueryResultRow>(text: string, params: unknown[] = []) {
    return this.store.internalQuery<R>(this.c, text, params);
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
      `INSERT INTO ${this.s}.jobs (run_id, function_slug, kind, step_id, attempt, run_at)
       VALUES ($1, $2, 'step', $3, 0, now())
       ON CONFLICT (run_id, step_id) WHERE kind = 'step' DO NOTHING`,
      [this.run.id, this.run.functionSlug, op.id],
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
      `INSERT INTO ${this.s}.jobs (run_id, function_slug, kind, attempt, run_at)
       SELECT $1, $2, 'discover', 0, now()
       WHERE NOT EXISTS (SELECT 1 FROM ${this.s}.jobs WHERE run_id = $1)
       ON CONFLICT (run_id) WHERE kind = 'discover' DO NOTHING`,
      [this.run.id, this.run.functionSlug],
    );
  }

  async completeRun(output: JsonValue): Promise<void> {
    await this.q(
      `UPDATE ${this.s}.runs SET status = 'Completed', output = $2::jsonb, ended_at = now(), updated_at = now() WHERE id = $1`,
      [this.run.id, JSON.stringify(output ?? null)],
    );
    await this.q(`DELETE FROM ${this.s}.jobs WHERE run_id = $1`, [this.run.id]);
    await this.emitFinished({ result: output ?? null });
  }

  async failRun(error: SerializedError): Promise<void> {
    await this.q(
      `UPDATE ${this.s}.runs SET status = 'Failed', error = $2::jsonb, ended_at = now(), updated_at = now() WHERE id = $1`,
      [this.run.id, JSON.stringify(error)],
    );
    await this.q(`DELETE FROM ${this.s}.jobs WHERE run_id = $1`, [this.run.id]);
    await this.appendHistory({ type: "run_failed", attempt: this.job.attempt, error });
    const event = this.run.event;
    if (isInternalFunctionEvent(event)) return;
    const errorPayload: JsonObject = { name: error.name, message: error.message, stack: error.stack ?? "" };
    await this.store.ingestEventsTx(this.c, [
      {
        name: "inngest/function.failed",
        data: { function_id: this.run.functionSlug, run_id: this.run.id, error: errorPayload, event },
        ts: Date.now(),
      },
    ]);
    await this.emitFinished({ error: errorPayload });
  }

  private async emitFinished(extra: JsonObject): Promise<void> {
    const event = this.run.event;
    if (isInternalFunctionEvent(event)) return;
    await this.store.ingestEventsTx(this.c, [
      {
        name: "inngest/function.finished",
        data: { function_id: this.run.functionSlug, run_id: this.run.id, event, ...extra },
        ts: Date.now(),
      },
    ]);
  }
}

// Runs started by inngest/function.* events (e.g. onFailure handlers) don't emit more of them,
// so a failing failure handler can't loop.
function isInternalFunctionEvent(event: JsonObject): boolean {
  return typeof event.name === "string" && event.name.startsWith("inngest/function.");
}

// ---------------------------------------------------------------------------
// Row mapping

interface FunctionRow {
  slug: string;
  internal_id: string;
  app_id: string;
  name: string;
  step_url: string;
  triggers: EventTrigger[];
  max_attempts: number;
  idempotency: string | null;
  concurrency_limit: number | null;
  warnings: string[];
  config: JsonObject;
  deleted_at: Date | null;
}

interface JobRow {
  id: string;
  run_id: string;
  function_slug: string;
  kind: JobKind;
  step_id: string | null;
  wake_step_id: string | null;
  attempt: number;
  lease_token: string;
}

interface RunRow {
  id: string;
  function_slug: string;
  event_internal_id: string;
  event: JsonObject;
  status: RunStatus;
  output: JsonValue;
  error: SerializedError | null;
  stack: string[];
  request_version: number | null;
  history: JsonValue[];
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
}

interface StepRow {
  step_id: string;
  name: string | null;
  display_name: string | null;
  op: string | null;
  status: StepStatus;
  output: JsonValue;
  error: SerializedError | null;
  attempts: number;
  errors: JsonValue[];
  wake_at: Date | null;
  created_at: Date;
  updated_at: Date;
  ended_at: Date | null;
}

function toFunction(row: FunctionRow): StoredFunction {
  return {
    slug: row.slug,
    internalId: row.internal_id,
    appId: row.app_id,
    name: row.name,
    stepUrl: row.step_url,
    triggers: row.triggers,
    maxAttempts: row.max_attempts,
    ...(row.idempotency ? { idempotency: row.idempotency } : {}),
    ...(row.concurrency_limit !== null ? { concurrencyLimit: row.concurrency_limit } : {}),
    warnings: row.warnings,
    config: row.config,
    deletedAt: row.deleted_at,
  };
}

function toJob(row: JobRow): ClaimedJob {
  return {
    id: String(row.id),
    runId: row.run_id,
    functionSlug: row.function_slug,
    kind: row.kind,
    stepId: row.step_id,
    wakeStepId: row.wake_step_id,
    attempt: row.attempt,
    leaseToken: row.lease_token,
  };
}

function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    functionSlug: row.function_slug,
    eventInternalId: row.event_internal_id,
    event: row.event,
    status: row.status,
    output: row.output ?? null,
    error: row.error,
    stack: row.stack,
    requestVersion: row.request_version,
    history: row.history,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

function toStep(row: StepRow): StepRecord {
  return {
    stepId: row.step_id,
    name: row.name,
    displayName: row.display_name,
    op: row.op,
    status: row.status,
    output: row.output ?? null,
    error: row.error,
    attempts: row.attempts,
    errors: row.errors,
    wakeAt: row.wake_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at,
  };
}
