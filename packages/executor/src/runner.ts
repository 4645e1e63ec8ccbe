// One invocation of the SDK for one claimed job, and how its answer changes the run:
// the same decisions Inngest's executor makes for 200 / 206 ops / errors.
import type { Logger } from "./log";
import {
  canonicalJson,
  HeaderKeys,
  parseSdkResponse,
  parseSleepUntil,
  retryDelayMs,
  type SdkOp,
  type SdkRequestBody,
  type SdkResult,
  type SerializedError,
  signBody,
  StepOpCode,
  toSerializedError,
  unsupportedOpReason,
} from "./protocol";
import type { ClaimedJob, Invocation, JobTx, Store } from "./store";

export interface RunnerOptions {
  store: Store;
  logger: Logger;
  /** Short fixed-base retry schedule instead of Inngest's 15 s / 30 s / 1 min / ... table. */
  retryBaseDelayMs?: number;
  /** Pass `ctx.fn_id` so the SDK may run several steps per request and checkpoint them back. */
  checkpointing: boolean;
  signingKey?: string;
  requestTimeoutMs: number;
}

export class Runner {
  constructor(private readonly o: RunnerOptions) {}

  async process(job: ClaimedJob, signal: AbortSignal): Promise<void> {
    const { store, logger } = this.o;

    if (job.kind === "wake") {
      // A sleep is over: memoize it (data null, as the SDK expects) and continue the run.
      await store.withJob(job, async (tx) => {
        await tx.memoize({ id: job.wakeStepId ?? "", op: StepOpCode.Sleep }, { type: "data", data: null });
        await tx.finish();
      });
      return;
    }

    const inv = await store.loadInvocation(job);
    if (!inv) return;
    if (!inv.fn || inv.fn.deletedAt) {
      await store.withJob(job, (tx) =>
        tx.failRun({
          name: "FunctionNotFoundError",
          message: `Function "${inv.run.functionSlug}" is no longer registered with the executor`,
        }),
      );
      return;
    }

    const started = Date.now();
    const result = await this.call(job, inv, signal);
    if (signal.aborted) return;
    logger.debug(`invoked ${inv.fn.slug}`, {
      runId: job.runId,
      job: job.kind,
      stepId: job.stepId,
      attempt: job.attempt,
      result: result.kind,
      ms: Date.now() - started,
    });

    const applied = await store.withJob(job, (tx) => this.apply(tx, inv, result));
    if (!applied) logger.warn(`dropped a stale result for run ${job.runId} (lease lost)`, { jobId: job.id });
  }

  private buildRequest(job: ClaimedJob, inv: Invocation): { url: string; body: SdkRequestBody } {
    const fn = inv.fn as NonNullable<Invocation["fn"]>;
    const url = new URL(fn.stepUrl);
    url.searchParams.set("fnId", fn.slug);
    url.searchParams.set("stepId", job.stepId ?? "step");
    const stack = inv.run.stack;
    const body: SdkRequestBody = {
      event: inv.run.event,
      events: [inv.run.event],
      steps: inv.steps,
      ctx: {
        run_id: inv.run.id,
        ...(this.o.checkpointing ? { fn_id: fn.internalId } : {}),
        qi_id: job.leaseToken,
        step_id: job.stepId ?? "step",
        attempt: job.attempt,
        max_attempts: fn.maxAttempts,
        stack: { stack, current: Math.max(0, stack.length - 1) },
        disable_immediate_execution: job.kind === "step",
        use_api: false,
        env: "dev",
      },
      version: inv.run.requestVersion ?? -1,
      use_api: false,
    };
    return { url: url.toString(), body };
  }

  private async call(job: ClaimedJob, inv: Invocation, signal: AbortSignal): Promise<SdkResult> {
    const { url, body } = this.buildRequest(job, inv);
    const payload = this.o.signingKey ? canonicalJson(body) : JSON.stringify(body);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      [HeaderKeys.ServerKind]: this.o.signingKey ? "cloud" : "dev",
    };
    if (this.o.signingKey) headers[HeaderKeys.Signature] = signBody(payload, this.o.signingKey);

    try {
      const res = await fetch(url, {
        method: "POST",
        headers,
        body: payload,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.o.requestTimeoutMs)]),
      });
      const text = await res.text();
      return parseSdkResponse(res.status, res.headers, text);
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const reason = e.cause?.code ?? e.cause?.message ?? e.message;
      return {
        kind: "error",
        error: { name: "Error", message: `Request to ${url} failed: ${reason}` },
        retriable: true,
      };
    }
  }

  private async apply(tx: JobTx, inv: Invocation, result: SdkResult): Promise<void> {
    if (result.version !== undefined) await tx.setRequestVersion(result.version);
    switch (result.kind) {
      case "complete":
        await tx.completeRun(result.output);
        return;
      case "error":
        await this.functionError(tx, inv, result.error, result.retriable, result.retryAfterMs);
        return;
      case "ops":
        await this.ops(tx, inv, result.ops, result.noRetry, result.retryAfterMs);
        return;
    }
  }

  private maxAttempts(inv: Invocation): number {
    return inv.fn?.maxAttempts ?? 4;
  }

  private delay(attempt: number, retryAfterMs?: number): number {
    return retryAfterMs ?? retryDelayMs(attempt, this.o.retryBaseDelayMs);
  }

  /** A non-2xx answer (or no answer): retry this job with backoff, or fail the run. */
  private async functionError(
    tx: JobTx,
    inv: Invocation,
    error: SerializedError,
    retriable: boolean,
    retryAfterMs?: number,
  ): Promise<void> {
    const { job } = tx;
    if (retriable && job.attempt + 1 < this.maxAttempts(inv)) {
      const delayMs = this.delay(job.attempt, retryAfterMs);
      await tx.appendHistory({
        type: "attempt_error",
        attempt: job.attempt,
        ...(job.stepId ? { stepId: job.stepId } : {}),
        error,
        retryInMs: delayMs,
      });
      this.o.logger.info(`run ${job.runId} attempt ${job.attempt} failed; retrying in ${delayMs}ms`, {
        error: error.message,
      });
      await tx.retry(delayMs);
      return;
    }
    this.o.logger.warn(`run ${job.runId} failed: ${error.name}: ${error.message}`);
    await tx.failRun(error);
  }

  private async ops(tx: JobTx, inv: Invocation, ops: SdkOp[], noRetry: boolean, retryAfterMs?: number): Promise<void> {
    const { job } = tx;
    const unsupported = ops.map((op) => unsupportedOpReason(op.op)).filter((r): r is string => Boolean(r));
    if (unsupported.length > 0) {
      const message = [...new Set(unsupported)].join("; ");
      this.o.logger.error(`run ${job.runId}: ${message}`);
      await tx.failRun({ name: "UnsupportedOperationError", message });
      return;
    }

    let progressed = false;
    let retryIn: number | undefined;
    let complete: SdkOp | undefined;
    let discover = false;
    const planned: SdkOp[] = [];
    const sleeps: SdkOp[] = [];

    for (const op of ops) {
      switch (op.op) {
        case StepOpCode.StepRun:
        case StepOpCode.Step:
          await tx.memoize(op, { type: "data", data: op.data ?? null });
          progressed = true;
          break;
        case StepOpCode.StepFailed:
          await tx.memoize(op, { type: "error", error: toSerializedError(op.error) });
          progressed = true;
          break;
        case StepOpCode.StepError: {
          const error = toSerializedError(op.error);
          if (!noRetry && job.attempt + 1 < this.maxAttempts(inv)) {
            retryIn = this.delay(job.attempt, retryAfterMs);
            await tx.recordStepError(op, error, retryIn);
          } else {
            // Out of attempts: memoize the error so the SDK throws it inside the function.
            await tx.memoize(op, { type: "error", error });
            progressed = true;
          }
          break;
        }
        case StepOpCode.StepPlanned:
          planned.push(op);
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
          await this.functionError(
            tx,
            inv,
            { name: "StepNotFoundError", message: `The SDK could not find step "${op.id}"` },
            true,
          );
          return;
      }
    }

    if (complete) {
      await tx.completeRun(complete.data ?? null);
      return;
    }
    if (retryIn !== undefined) {
      await tx.retry(retryIn);
      return;
    }
    for (const op of sleeps) {
      const until = parseSleepUntil(op.name ?? "");
      if (!until) {
        await tx.failRun({ name: "UnsupportedOperationError", message: `Cannot parse sleep duration "${op.name}"` });
        return;
      }
      await tx.scheduleSleep(op, Math.max(0, until.getTime() - Date.now()));
    }
    for (const op of planned) await tx.planStep(op);
    if (!progressed && !discover && planned.length === 0 && sleeps.length === 0) {
      await this.functionError(tx, inv, { name: "Error", message: "SDK response made no progress" }, true);
      return;
    }
    await tx.finish();
  }
}
