// The executor's tables, created with idempotent SQL on start (no migration tool: the executor
// is standalone and must not interfere with the app's Prisma migrations).
import type { Db } from "./db";

export async function migrate(db: Db): Promise<void> {
  const s = db.s;
  await db.tx(async (c) => {
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
    await c.query(`CREATE UNIQUE INDEX IF NOT EXISTS jobs_discover_uniq ON ${s}.jobs (run_id) WHERE kind = 'discover'`);
    await c.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS jobs_step_uniq ON ${s}.jobs (run_id, step_id) WHERE kind = 'step'`,
    );
    await c.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS jobs_wake_uniq ON ${s}.jobs (run_id, wake_step_id) WHERE kind = 'wake'`,
    );
    // Additions since the first version; every statement is idempotent, so old data keeps working.
    for (const statement of [
      `ALTER TABLE ${s}.functions ADD COLUMN IF NOT EXISTS version integer NOT NULL DEFAULT 1`,
      `ALTER TABLE ${s}.functions ADD COLUMN IF NOT EXISTS concurrency jsonb NOT NULL DEFAULT '[]'`,
      `ALTER TABLE ${s}.functions ADD COLUMN IF NOT EXISTS throttle jsonb`,
      `ALTER TABLE ${s}.functions ADD COLUMN IF NOT EXISTS crons jsonb NOT NULL DEFAULT '[]'`,
      `ALTER TABLE ${s}.runs ADD COLUMN IF NOT EXISTS function_version integer NOT NULL DEFAULT 1`,
      `ALTER TABLE ${s}.runs ADD COLUMN IF NOT EXISTS cron text`,
      `ALTER TABLE ${s}.runs ADD COLUMN IF NOT EXISTS slot_keys text[] NOT NULL DEFAULT '{}'`,
      `ALTER TABLE ${s}.runs ADD COLUMN IF NOT EXISTS slot_limits integer[] NOT NULL DEFAULT '{}'`,
      // Concurrency slots a job must hold while it calls the SDK; a throttle only on a run's start.
      `ALTER TABLE ${s}.jobs ADD COLUMN IF NOT EXISTS slot_keys text[] NOT NULL DEFAULT '{}'`,
      `ALTER TABLE ${s}.jobs ADD COLUMN IF NOT EXISTS slot_limits integer[] NOT NULL DEFAULT '{}'`,
      `ALTER TABLE ${s}.jobs ADD COLUMN IF NOT EXISTS throttle jsonb`,
      `CREATE INDEX IF NOT EXISTS jobs_leased_idx ON ${s}.jobs (lease_expires_at) WHERE lease_expires_at IS NOT NULL`,
      `CREATE TABLE IF NOT EXISTS ${s}.throttles (
         key text PRIMARY KEY,
         tat_ms double precision NOT NULL,
         expires_at timestamptz NOT NULL
       )`,
      `CREATE TABLE IF NOT EXISTS ${s}.crons (
         function_slug text NOT NULL,
         expression text NOT NULL,
         next_at timestamptz NOT NULL,
         PRIMARY KEY (function_slug, expression)
       )`,
      // One row per SDK request (or checkpointed step): the timeline of a run.
      `CREATE TABLE IF NOT EXISTS ${s}.attempts (
         id bigserial PRIMARY KEY,
         run_id text NOT NULL,
         step_id text,
         attempt integer NOT NULL,
         started_at timestamptz,
         ended_at timestamptz NOT NULL DEFAULT now(),
         outcome text NOT NULL,
         error jsonb
       )`,
      `CREATE INDEX IF NOT EXISTS attempts_run_idx ON ${s}.attempts (run_id, id)`,
      `CREATE INDEX IF NOT EXISTS events_received_idx ON ${s}.events (received_at)`,
      `CREATE INDEX IF NOT EXISTS runs_created_idx ON ${s}.runs (created_at)`,
      `CREATE INDEX IF NOT EXISTS runs_ended_idx ON ${s}.runs (ended_at) WHERE ended_at IS NOT NULL`,
    ]) {
      await c.query(statement);
    }
  });
}
