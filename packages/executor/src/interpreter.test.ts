// The meaning of each SDK answer, without a database or an SDK.
import { describe, expect, it } from "vitest";
import { type InterpretInput, interpret } from "./interpreter";
import type { SdkOp, SdkResult } from "./ops";

const base = (result: SdkResult, attempt = 0, maxAttempts = 4): InterpretInput => ({
  job: { attempt, stepId: null },
  maxAttempts,
  result,
  retryDelayMs: (a, after) => after ?? 100 * 2 ** a,
  now: 1_000_000,
});
const ops = (list: SdkOp[], extra: { noRetry?: boolean; retryAfterMs?: number } = {}): SdkResult => ({
  kind: "ops",
  ops: list,
  noRetry: extra.noRetry ?? false,
  ...(extra.retryAfterMs !== undefined ? { retryAfterMs: extra.retryAfterMs } : {}),
});

describe("interpret", () => {
  it("completes the run on 200 and on a RunComplete op", () => {
    expect(interpret(base({ kind: "complete", output: { ok: 1 } })).next).toEqual({
      type: "complete",
      output: { ok: 1 },
    });
    const d = interpret(base(ops([{ id: "h", op: "RunComplete", data: "done" }])));
    expect(d.next).toEqual({ type: "complete", output: "done" });
  });

  it("memoizes a finished step and continues", () => {
    const d = interpret(base(ops([{ id: "a", op: "StepRun", data: 42 }])));
    expect(d.memoize).toEqual([{ op: { id: "a", op: "StepRun", data: 42 }, result: { type: "data", data: 42 } }]);
    expect(d.next).toEqual({ type: "continue" });
  });

  it("plans each parallel step as its own job", () => {
    const d = interpret(
      base(
        ops([
          { id: "p1", op: "StepPlanned" },
          { id: "p2", op: "StepPlanned" },
        ]),
      ),
    );
    expect(d.plan.map((op) => op.id)).toEqual(["p1", "p2"]);
    expect(d.next.type).toBe("continue");
  });

  it("retries a StepError while attempts remain, honouring retry-after", () => {
    const err = { id: "s", op: "StepError", error: { name: "Error", message: "boom" } };
    const d = interpret(base(ops([err]), 1));
    expect(d.stepErrors).toEqual([{ op: err, error: { name: "Error", message: "boom" }, retryInMs: 200 }]);
    expect(d.next).toEqual({ type: "retry", delayMs: 200 });
    expect(interpret(base(ops([err], { retryAfterMs: 5000 }))).next).toEqual({ type: "retry", delayMs: 5000 });
  });

  it("memoizes the error of a StepError on the last attempt or with no-retry", () => {
    const err = { id: "s", op: "StepError", error: { name: "Error", message: "boom" } };
    for (const d of [interpret(base(ops([err]), 3)), interpret(base(ops([err], { noRetry: true })))]) {
      expect(d.memoize).toEqual([{ op: err, result: { type: "error", error: { name: "Error", message: "boom" } } }]);
      expect(d.next).toEqual({ type: "continue" });
    }
  });

  it("memoizes StepFailed as an error", () => {
    const d = interpret(base(ops([{ id: "f", op: "StepFailed", error: { name: "NonRetriableError", message: "x" } }])));
    expect(d.memoize[0]?.result).toEqual({ type: "error", error: { name: "NonRetriableError", message: "x" } });
  });

  it("schedules sleeps relative to now", () => {
    const d = interpret(base(ops([{ id: "z", op: "Sleep", name: "1m" }])));
    expect(d.sleeps).toEqual([{ op: { id: "z", op: "Sleep", name: "1m" }, delayMs: 60_000 }]);
  });

  it("retries function-level errors, then fails the run", () => {
    const error = { name: "Error", message: "500" };
    const retried = interpret(base({ kind: "error", error, retriable: true }, 0));
    expect(retried.next).toMatchObject({ type: "retry", delayMs: 100, history: { type: "attempt_error" } });
    expect(interpret(base({ kind: "error", error, retriable: true }, 3)).next).toEqual({ type: "fail", error });
    expect(interpret(base({ kind: "error", error, retriable: false }, 0)).next).toEqual({ type: "fail", error });
  });

  it("fails the run for an op the executor does not implement", () => {
    const d = interpret(base(ops([{ id: "w", op: "WaitForEvent" }])));
    expect(d.next).toMatchObject({ type: "fail", error: { name: "UnsupportedOperationError" } });
    expect(d.memoize).toEqual([]);
  });

  it("treats an answer without progress as a retriable error", () => {
    const d = interpret(base(ops([{ id: "x", op: "StepNotFound" }])));
    expect(d.next).toMatchObject({ type: "retry", history: { error: { name: "StepNotFoundError" } } });
  });
});
