// Records the store hands out, the rows they come from, and the mapping between them.
import type { JsonObject, JsonValue, MemoizedStep, SerializedError } from "../json";
import type { ConcurrencyLimit, ThrottleConfig } from "../flow";
import type { EventTrigger, FunctionDefinition } from "../registration";

export type RunStatus = "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";
export type JobKind = "discover" | "step" | "wake";
export type StepStatus = "planned" | "retrying" | "sleeping" | "completed" | "failed";

export interface StoredFunction extends FunctionDefinition {
  /** Stable UUID handed to the SDK as `ctx.fn_id` (needed for async checkpointing). */
  internalId: string;
  /** Bumped whenever a sync changes the function's configuration. */
  version: number;
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
  functionVersion: number;
  cron: string | null;
  slotKeys: string[];
  slotLimits: number[];
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

/** One SDK request (or checkpointed step) of a run, for the run timeline. */
export interface AttemptRecord {
  stepId: string | null;
  attempt: number;
  startedAt: Date | null;
  endedAt: Date;
  outcome: string;
  error: SerializedError | null;
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

export const terminal: RunStatus[] = ["Completed", "Failed", "Cancelled"];
export const isTerminal = (s: RunStatus) => terminal.includes(s);
export const DEDUPE_WINDOW = "24 hours";
// Row mapping

export interface FunctionRow {
  slug: string;
  internal_id: string;
  app_id: string;
  name: string;
  step_url: string;
  triggers: EventTrigger[];
  max_attempts: number;
  idempotency: string | null;
  concurrency: ConcurrencyLimit[];
  throttle: ThrottleConfig | null;
  crons: string[];
  version: number;
  config: JsonObject;
  deleted_at: Date | null;
}

export interface JobRow {
  id: string;
  run_id: string;
  function_slug: string;
  kind: JobKind;
  step_id: string | null;
  wake_step_id: string | null;
  attempt: number;
  lease_token: string;
}

export interface RunRow {
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
  function_version: number;
  cron: string | null;
  slot_keys: string[];
  slot_limits: number[];
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
}

export interface StepRow {
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

export function toFunction(row: FunctionRow): StoredFunction {
  return {
    slug: row.slug,
    internalId: row.internal_id,
    appId: row.app_id,
    name: row.name,
    stepUrl: row.step_url,
    triggers: row.triggers,
    crons: row.crons,
    maxAttempts: row.max_attempts,
    ...(row.idempotency ? { idempotency: row.idempotency } : {}),
    concurrency: row.concurrency,
    ...(row.throttle ? { throttle: row.throttle } : {}),
    version: row.version,
    config: row.config,
    deletedAt: row.deleted_at,
  };
}

export function toJob(row: JobRow): ClaimedJob {
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

export function toRun(row: RunRow): RunRecord {
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
    functionVersion: row.function_version,
    cron: row.cron,
    slotKeys: row.slot_keys,
    slotLimits: row.slot_limits,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

export function toStep(row: StepRow): StepRecord {
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
