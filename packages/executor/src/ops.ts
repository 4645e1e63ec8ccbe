// The SDK's answers: op parsing and the meaning of each HTTP response.
import { HeaderKeys, StepOpCode } from "./consts";
import {
  isObject,
  type JsonObject,
  type JsonValue,
  type MemoizedStep,
  type SerializedError,
  toSerializedError,
} from "./json";
import { parseRetryAfter } from "./retry";

/** What each unsupported op is called in user code, for error messages. */
const unsupportedOps: Record<string, string> = {
  [StepOpCode.InvokeFunction]: "step.invoke()",
  [StepOpCode.WaitForEvent]: "step.waitForEvent()",
  [StepOpCode.WaitForSignal]: "step.waitForSignal()",
  [StepOpCode.AiGateway]: "step.ai.infer()",
  [StepOpCode.Gateway]: "step.fetch()/gateway requests",
  [StepOpCode.DeferAdd]: "defer()",
  [StepOpCode.DeferAbort]: "defer().abort()",
};

/** An op as returned by the SDK in a 206 response or an async checkpoint. */
export interface SdkOp {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  data?: JsonValue;
  error?: JsonValue;
  opts?: JsonObject;
  /** The user's own step id (`step.run("this-id", ...)`), when the SDK reports it. */
  userlandId?: string;
}

/** Request body POSTed to the SDK's serve endpoint (see `parseFnData` in the SDK). */
export interface SdkRequestBody {
  event: JsonObject;
  events: JsonObject[];
  steps: Record<string, MemoizedStep>;
  ctx: {
    run_id: string;
    fn_id?: string;
    qi_id?: string;
    step_id: string;
    attempt: number;
    max_attempts: number;
    stack: { stack: string[]; current: number };
    disable_immediate_execution: boolean;
    use_api: false;
    env: string;
  };
  version: number;
  use_api: false;
}

export type SdkResult =
  | { kind: "complete"; output: JsonValue; version?: number }
  | { kind: "ops"; ops: SdkOp[]; noRetry: boolean; retryAfterMs?: number; version?: number }
  | { kind: "error"; error: SerializedError; retriable: boolean; retryAfterMs?: number; version?: number }
  /** The request never reached the app (connection refused/reset, DNS, a gateway's 502/503/504). */
  | { kind: "unreached"; reason: string; version?: number };

function parseVersion(value: string | null): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isInteger(n) ? n : undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!text.trim()) return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export function parseOp(value: unknown): SdkOp | undefined {
  if (!isObject(value) || typeof value.id !== "string" || typeof value.op !== "string") return undefined;
  const op: SdkOp = { id: value.id, op: value.op };
  if (typeof value.name === "string") op.name = value.name;
  if (typeof value.displayName === "string") op.displayName = value.displayName;
  if ("data" in value) op.data = (value.data ?? null) as JsonValue;
  if ("error" in value && value.error !== undefined) op.error = value.error as JsonValue;
  if (isObject(value.opts)) op.opts = value.opts as JsonObject;
  if (isObject(value.userland) && typeof value.userland.id === "string") op.userlandId = value.userland.id;
  return op;
}

/**
 * Interprets one SDK response the way Inngest's HTTP driver does:
 * 200 = function finished, 206 = ops, anything else = a function-level error
 * (permanent only with `x-inngest-no-retry: true`).
 */
export function parseSdkResponse(status: number, headers: Headers, bodyText: string): SdkResult {
  const version = parseVersion(headers.get(HeaderKeys.RequestVersion));
  // Inngest obeys `x-inngest-no-retry` when present; without it, every failure is retried
  // (including a 4xx: current SDKs always send the header when they mean "don't retry").
  const noRetryHeader = headers.get(HeaderKeys.NoRetry);
  const noRetry = noRetryHeader !== null && noRetryHeader.trim().toLowerCase() === "true";
  const retryAfterMs = parseRetryAfter(headers.get(HeaderKeys.RetryAfter));
  const parsed = parseJson(bodyText);

  if (status === 200) {
    if (!parsed.ok) {
      return {
        kind: "error",
        error: { name: "Error", message: `SDK returned 200 with a non-JSON body: ${bodyText.slice(0, 300)}` },
        retriable: true,
        version,
      };
    }
    return { kind: "complete", output: (parsed.value ?? null) as JsonValue, version };
  }

  if (status === 206 && parsed.ok) {
    const raw = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
    const ops = raw.map(parseOp);
    if (ops.length > 0 && ops.every((op): op is SdkOp => op !== undefined)) {
      return { kind: "ops", ops, noRetry, retryAfterMs, version };
    }
    return {
      kind: "error",
      error: { name: "Error", message: `SDK returned 206 without valid ops: ${bodyText.slice(0, 300)}` },
      retriable: true,
      version,
    };
  }

  const error =
    parsed.ok && isObject(parsed.value)
      ? toSerializedError(parsed.value, `SDK responded with HTTP ${status}`)
      : {
          name: "Error",
          message: `SDK responded with HTTP ${status}${bodyText ? `: ${bodyText.slice(0, 500)}` : ""}`,
        };
  return { kind: "error", error, retriable: !noRetry, retryAfterMs, version };
}

/** Returns a human-readable reason when an op code is outside what the embedded executor implements. */
export function unsupportedOpReason(op: string): string | undefined {
  const known = new Set<string>([
    StepOpCode.Step,
    StepOpCode.StepRun,
    StepOpCode.StepError,
    StepOpCode.StepFailed,
    StepOpCode.StepPlanned,
    StepOpCode.Sleep,
    StepOpCode.RunComplete,
    StepOpCode.DiscoveryRequest,
    StepOpCode.StepNotFound,
  ]);
  if (known.has(op)) return undefined;
  const what = unsupportedOps[op];
  return what
    ? `${what} (op "${op}") is not supported by the embedded executor; run this function under the Inngest Dev Server or Inngest Cloud`
    : `Unknown step op "${op}" is not supported by the embedded executor`;
}
