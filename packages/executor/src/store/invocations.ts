// What calling the SDK for a job needs: the run, its memoized steps and the function.
import type { JsonValue, MemoizedStep, SerializedError } from "../json";
import type { FunctionCache } from "./apps";
import type { Sql } from "./db";
import { type ClaimedJob, type Invocation, isTerminal, type RunRow, type StepStatus, toRun } from "./rows";

/** A leased job and what calling the SDK for it needs (`undefined` once its run has ended). */
export interface Claimed {
  job: ClaimedJob;
  inv: Invocation | undefined;
}

export type RunJson = Omit<RunRow, "created_at" | "started_at" | "ended_at"> & {
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
};
export interface StepJson {
  run_id: string;
  step_id: string;
  status: StepStatus;
  output: JsonValue;
  error: SerializedError;
}

export function invocationsFrom(runs: RunJson[], steps: StepJson[]): Map<string, Omit<Invocation, "fn">> {
  const out = new Map<string, Omit<Invocation, "fn">>();
  for (const r of runs) {
    const run = toRun({
      ...r,
      created_at: new Date(r.created_at),
      started_at: r.started_at ? new Date(r.started_at) : null,
      ended_at: r.ended_at ? new Date(r.ended_at) : null,
    });
    // The claim itself starts a queued run.
    if (run.status === "Queued") run.status = "Running";
    out.set(run.id, { run, steps: {} });
  }
  for (const st of steps) {
    const inv = out.get(st.run_id);
    if (inv) inv.steps[st.step_id] = memoOf(st);
  }
  return out;
}

const memoOf = (st: { status: StepStatus; output: JsonValue; error: SerializedError }): MemoizedStep =>
  st.status === "completed" ? { type: "data", data: st.output ?? null } : { type: "error", error: st.error };

/** Runs and memoized steps of the given runs (after a claim or a write of this process). */
export async function loadInvocations(c: Sql, runIds: string[]): Promise<Map<string, Omit<Invocation, "fn">>> {
  const ids = [...new Set(runIds)];
  if (ids.length === 0) return new Map();
  const s = c.s;
  const runs = await c.query<RunRow & { steps: StepJson[] | null }>(
    `SELECT r.*, (SELECT jsonb_agg(jsonb_build_object('run_id', st.run_id, 'step_id', st.step_id, 'status', st.status,
                    'output', st.output, 'error', st.error))
                  FROM ${s}.steps st WHERE st.run_id = r.id AND st.status IN ('completed', 'failed')) AS steps
     FROM ${s}.runs r WHERE r.id = ANY($1::text[])`,
    [ids],
  );
  const out = new Map<string, Omit<Invocation, "fn">>();
  for (const row of runs.rows) {
    const memo: Record<string, MemoizedStep> = {};
    for (const st of row.steps ?? []) memo[st.step_id] = memoOf(st);
    out.set(row.id, { run: toRun(row), steps: memo });
  }
  return out;
}

export function withInvocations(
  functions: FunctionCache,
  jobs: ClaimedJob[],
  invs: Map<string, Omit<Invocation, "fn">>,
): Claimed[] {
  return jobs.map((job) => {
    const inv = invs.get(job.runId);
    return {
      job,
      inv: inv && !isTerminal(inv.run.status) ? { ...inv, fn: functions.get(inv.run.functionSlug) } : undefined,
    };
  });
}
