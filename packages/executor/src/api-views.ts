// The REST v1 shapes, following Inngest's API spec (`/v1/runs/:id`, `/v1/events/:id/runs`,
// `/v1/events/:id`), plus what an admin timeline needs: each step with its attempts.
import type { JsonObject, JsonValue } from "./json";
import type { AttemptRecord, RunRecord, StepRecord, StoredFunction } from "./store";

/** The embedded executor has one environment; Inngest reports runs with its id. */
export const ENVIRONMENT_ID = "00000000-0000-4000-8000-000000000001";

const isoOrNull = (d: Date | null) => d?.toISOString() ?? null;

/** Inngest reports queued (including throttled) runs as Running. */
export const apiStatus = (status: RunRecord["status"]) => (status === "Queued" ? "Running" : status);

export interface AttemptView {
  attempt: number;
  started_at: string | null;
  ended_at: string;
  duration_ms: number | null;
  outcome: string;
  error: JsonValue;
}

export interface StepView {
  id: string;
  name: string | null;
  display_name: string | null;
  op: string | null;
  status: string;
  attempts: number;
  output: JsonValue;
  error: JsonValue;
  wake_at: string | null;
  created_at: string;
  ended_at: string | null;
  /** Each try of the step: start, end, duration, outcome, error. */
  history: AttemptView[];
}

/** Inngest's Function-run object; `steps`, `attempts`, `error`, `event`, `function_slug` are ours. */
export interface RunView {
  run_id: string;
  run_started_at: string;
  function_id: string;
  function_version: number;
  environment_id: string;
  event_id: string | null;
  batch_id: string | null;
  original_run_id: string | null;
  cron: string | null;
  status: "Running" | "Completed" | "Failed" | "Cancelled";
  ended_at: string | null;
  output: JsonValue;
  function_slug: string;
  event: JsonObject;
  error: JsonValue;
  steps: StepView[];
  /** Function-level tries (errors outside any step). */
  attempts: AttemptView[];
}

function attemptView(a: AttemptRecord): AttemptView {
  return {
    attempt: a.attempt,
    started_at: isoOrNull(a.startedAt),
    ended_at: a.endedAt.toISOString(),
    duration_ms: a.startedAt ? a.endedAt.getTime() - a.startedAt.getTime() : null,
    outcome: a.outcome,
    error: a.error,
  };
}

export function runView(
  run: RunRecord,
  fn: Pick<StoredFunction, "internalId"> | undefined,
  steps: StepRecord[],
  attempts: AttemptRecord[],
): RunView {
  const order = new Map(run.stack.map((id, i) => [id, i]));
  const sorted = [...steps].sort(
    (a, b) =>
      (order.get(a.stepId) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.stepId) ?? Number.MAX_SAFE_INTEGER) ||
      a.createdAt.getTime() - b.createdAt.getTime(),
  );
  const byStep = new Map<string | null, AttemptView[]>();
  for (const a of attempts) byStep.set(a.stepId, [...(byStep.get(a.stepId) ?? []), attemptView(a)]);
  return {
    run_id: run.id,
    run_started_at: (run.startedAt ?? run.createdAt).toISOString(),
    function_id: fn?.internalId ?? run.functionSlug,
    function_version: run.functionVersion,
    environment_id: ENVIRONMENT_ID,
    event_id: run.eventInternalId,
    batch_id: null,
    original_run_id: null,
    cron: run.cron,
    status: apiStatus(run.status),
    ended_at: isoOrNull(run.endedAt),
    output: run.status === "Failed" ? run.error : run.output,
    function_slug: run.functionSlug,
    event: run.event,
    error: run.error,
    steps: sorted.map((s) => ({
      id: s.stepId,
      name: s.name,
      display_name: s.displayName,
      op: s.op,
      status: s.status,
      attempts: s.attempts,
      output: s.output,
      error: s.error,
      wake_at: isoOrNull(s.wakeAt),
      created_at: s.createdAt.toISOString(),
      ended_at: isoOrNull(s.endedAt),
      history: byStep.get(s.stepId) ?? [],
    })),
    attempts: byStep.get(null) ?? [],
  };
}

/** Inngest's envelope: `{ data, metadata: { fetched_at, cached_until } }`. */
export function envelope<T>(data: T): { data: T; metadata: { fetched_at: string; cached_until: null } } {
  return { data, metadata: { fetched_at: new Date().toISOString(), cached_until: null } };
}
