// What an SDK answer means for the run, decided without touching the database: which steps to
// memoize, which to retry, plan or put to sleep, and whether the run completes, fails or goes on.
// The runner applies the decision in one transaction.
import { StepOpCode } from "./consts";
import { parseSleepUntil } from "./durations";
import { type JsonObject, type JsonValue, type MemoizedStep, type SerializedError, toSerializedError } from "./json";
import { type SdkOp, type SdkResult, unsupportedOpReason } from "./ops";

export interface InterpretInput {
  job: { attempt: number; stepId: string | null };
  maxAttempts: number;
  result: SdkResult;
  /** Backoff before the next attempt after `attempt` failed (honours `retry-after` when given). */
  retryDelayMs: (attempt: number, retryAfterMs?: number) => number;
  /** Wait before trying an app that was not reached again. */
  unreachedDelayMs?: number;
  now: number;
}

export type NextStep =
  /** Finish this job; the run continues once nothing else is pending (parallel steps, sleeps). */
  | { type: "continue" }
  /** Run this same job again after `delayMs`; `history` describes a function-level failure. */
  | { type: "retry"; delayMs: number; history?: JsonObject }
  /** The app was not reached: try the same attempt again after `delayMs`, spending nothing. */
  | { type: "defer"; delayMs: number; reason: string }
  | { type: "complete"; output: JsonValue }
  | { type: "fail"; error: SerializedError };

export interface Decision {
  memoize: Array<{ op: SdkOp; result: MemoizedStep }>;
  stepErrors: Array<{ op: SdkOp; error: SerializedError; retryInMs: number }>;
  sleeps: Array<{ op: SdkOp; delayMs: number }>;
  plan: SdkOp[];
  next: NextStep;
}

const nothing = (): Omit<Decision, "next"> => ({ memoize: [], stepErrors: [], sleeps: [], plan: [] });

export function interpret(input: InterpretInput): Decision {
  const { result } = input;
  switch (result.kind) {
    case "complete":
      return { ...nothing(), next: { type: "complete", output: result.output } };
    case "error":
      return { ...nothing(), next: functionError(input, result.error, result.retriable, result.retryAfterMs) };
    case "ops":
      return interpretOps(input, result.ops, result.noRetry, result.retryAfterMs);
    case "unreached":
      return { ...nothing(), next: { type: "defer", delayMs: input.unreachedDelayMs ?? 1000, reason: result.reason } };
  }
}

/** A non-2xx answer (or no answer): retry this job with backoff, or fail the run. */
function functionError(
  input: InterpretInput,
  error: SerializedError,
  retriable: boolean,
  retryAfterMs?: number,
): NextStep {
  const { job } = input;
  if (retriable && job.attempt + 1 < input.maxAttempts) {
    const delayMs = input.retryDelayMs(job.attempt, retryAfterMs);
    const history: JsonObject = {
      type: "attempt_error",
      attempt: job.attempt,
      ...(job.stepId ? { stepId: job.stepId } : {}),
      error,
      retryInMs: delayMs,
    };
    return { type: "retry", delayMs, history };
  }
  return { type: "fail", error };
}

function interpretOps(input: InterpretInput, ops: SdkOp[], noRetry: boolean, retryAfterMs?: number): Decision {
  const { job } = input;
  const unsupported = ops.map((op) => unsupportedOpReason(op.op)).filter((r): r is string => Boolean(r));
  if (unsupported.length > 0) {
    const message = [...new Set(unsupported)].join("; ");
    return { ...nothing(), next: { type: "fail", error: { name: "UnsupportedOperationError", message } } };
  }

  const decision = nothing();
  let progressed = false;
  let retryIn: number | undefined;
  let complete: SdkOp | undefined;
  let discover = false;
  const sleeps: SdkOp[] = [];

  for (const op of ops) {
    switch (op.op) {
      case StepOpCode.StepRun:
      case StepOpCode.Step:
        decision.memoize.push({ op, result: { type: "data", data: op.data ?? null } });
        progressed = true;
        break;
      case StepOpCode.StepFailed:
        decision.memoize.push({ op, result: { type: "error", error: toSerializedError(op.error) } });
        progressed = true;
        break;
      case StepOpCode.StepError: {
        const error = toSerializedError(op.error);
        if (!noRetry && job.attempt + 1 < input.maxAttempts) {
          retryIn = input.retryDelayMs(job.attempt, retryAfterMs);
          decision.stepErrors.push({ op, error, retryInMs: retryIn });
        } else {
          // Out of attempts: memoize the error so the SDK throws it inside the function.
          decision.memoize.push({ op, result: { type: "error", error } });
          progressed = true;
        }
        break;
      }
      case StepOpCode.StepPlanned:
        decision.plan.push(op);
        break;
      case StepOpCode.Sleep:
        sleeps.push(op);
        break;
      case StepOpCode.RunComplete:
        complete = op;
        break;
      case StepOpCode.DiscoveryRequest:
        discover = true;
        break;
      case StepOpCode.StepNotFound:
        return {
          ...decision,
          plan: [],
          next: functionError(
            input,
            { name: "StepNotFoundError", message: `The SDK could not find step "${op.id}"` },
            true,
          ),
        };
    }
  }

  if (complete) return { ...decision, plan: [], next: { type: "complete", output: complete.data ?? null } };
  if (retryIn !== undefined) return { ...decision, plan: [], next: { type: "retry", delayMs: retryIn } };
  for (const op of sleeps) {
    const until = parseSleepUntil(op.name ?? "", input.now);
    if (!until) {
      return {
        ...decision,
        plan: [],
        next: {
          type: "fail",
          error: { name: "UnsupportedOperationError", message: `Cannot parse sleep duration "${op.name}"` },
        },
      };
    }
    decision.sleeps.push({ op, delayMs: Math.max(0, until.getTime() - input.now) });
  }
  if (!progressed && !discover && decision.plan.length === 0 && decision.sleeps.length === 0) {
    return {
      ...decision,
      next: functionError(input, { name: "Error", message: "SDK response made no progress" }, true),
    };
  }
  return { ...decision, next: { type: "continue" } };
}
