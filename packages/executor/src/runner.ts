// One invocation of the SDK for one claimed job, and how its answer changes the run:
// the same decisions Inngest's executor makes for 200 / 206 ops / errors.
import type { Logger } from "./log";
import { HeaderKeys, StepOpCode } from "./consts";
import { interpret } from "./interpreter";
import type { SerializedError } from "./json";
import { parseSdkResponse, type SdkRequestBody, type SdkResult } from "./ops";
import { AppHealth, isUnreachedStatus, unreachedReason } from "./reachability";
import { retryDelayMs } from "./retry";
import { canonicalJson, signBody } from "./signing";
import type { Claimed, ClaimedJob, DirectLease, Invocation, JobTx, Store } from "./store";

export interface RunnerOptions {
  store: Store;
  logger: Logger;
  /** Short fixed-base retry schedule instead of Inngest's 15 s / 30 s / 1 min / ... table. */
  retryBaseDelayMs?: number;
  /** Pass `ctx.fn_id` so the SDK may run several steps per request and checkpoint them back. */
  checkpointing: boolean;
  signingKey?: string;
  requestTimeoutMs: number;
  /** When this executor has room, jobs an outcome creates are leased to it in the same transaction. */
  directLease?: () => DirectLease | undefined;
}

export class Runner {
  private readonly health = new AppHealth();

  constructor(private readonly o: RunnerOptions) {}

  /** A sync reached the app: it is up again. */
  appReached(serveUrl: string): void {
    this.health.reached(AppHealth.key(serveUrl));
  }

  /**
   * Runs one claimed job. Returns the jobs its outcome created that were leased to this executor
   * directly (the next step of the run), so they start without another claim.
   */
  async process({ job, inv }: Claimed, signal: AbortSignal): Promise<Claimed[]> {
    const { store, logger } = this.o;
    const lease = this.directLease();

    if (job.kind === "wake") {
      // A sleep is over: memoize it (data null, as the SDK expects) and continue the run.
      const woke = await store.withJob(job, async (tx) => {
        await tx.memoizeAll(
          [{ op: { id: job.wakeStepId ?? "", op: StepOpCode.Sleep }, result: { type: "data", data: null } }],
          null,
        );
        return tx.claimed(await tx.finish(lease));
      });
      return woke.applied ? woke.value : [];
    }

    if (!inv) {
      await store.dropJob(job); // its run has ended
      return [];
    }
    if (!inv.fn || inv.fn.deletedAt) {
      await store.withJob(job, (tx) =>
        tx.failRun({
          name: "FunctionNotFoundError",
          message: `Function "${inv.run.functionSlug}" is no longer registered with the executor`,
        }),
      );
      return [];
    }

    const startedAt = new Date();
    const started = startedAt.getTime();
    const app = AppHealth.key(inv.fn.stepUrl);
    // While an app is known to be down only one job probes it; the others wait without calling.
    const waitMs = this.health.waitMs(app);
    const result: SdkResult =
      waitMs > 0 ? { kind: "unreached", reason: "app down (waiting to probe)" } : await this.call(job, inv, signal);
    let unreachedDelayMs: number | undefined;
    if (result.kind === "unreached") {
      if (waitMs > 0) unreachedDelayMs = waitMs;
      else {
        const outage = this.health.unreached(app);
        unreachedDelayMs = outage.delayMs;
        if (outage.first)
          logger.warn(`app at ${app} not reached (${result.reason}); retrying without spending attempts`);
      }
    } else this.health.reached(app);
    if (signal.aborted) return [];
    logger.debug(`invoked ${inv.fn.slug}`, {
      runId: job.runId,
      job: job.kind,
      stepId: job.stepId,
      attempt: job.attempt,
      result: result.kind,
      ms: Date.now() - started,
    });

    const applied = await store.withJob(job, (tx) => this.apply(tx, inv, result, startedAt, unreachedDelayMs, lease));
    if (!applied.applied) {
      logger.warn(`dropped a stale result for run ${job.runId} (lease lost)`, { jobId: job.id });
      return [];
    }
    return applied.value;
  }

  private directLease(): DirectLease | undefined {
    return this.o.directLease?.();
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
      // fetch asks for gzip by default and Next.js obliges: CPU on both ends for a call that is
      // usually on the same host.
      "accept-encoding": "identity",
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
      if (isUnreachedStatus(res.status)) return { kind: "unreached", reason: `HTTP ${res.status}` };
      return parseSdkResponse(res.status, res.headers, text);
    } catch (err) {
      const unreached = unreachedReason(err);
      if (unreached) return { kind: "unreached", reason: unreached };
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const reason = e.cause?.code ?? e.cause?.message ?? e.message;
      return {
        kind: "error",
        error: { name: "Error", message: `Request to ${url} failed: ${reason}` },
        retriable: true,
      };
    }
  }

  /** Writes the interpreter's decision; runs inside the transaction that still holds the lease. */
  private async apply(
    tx: JobTx,
    inv: Invocation,
    result: SdkResult,
    startedAt: Date,
    unreachedDelayMs: number | undefined,
    lease: DirectLease | undefined,
  ): Promise<Claimed[]> {
    const { job } = tx;
    const decision = interpret({
      job,
      maxAttempts: inv.fn?.maxAttempts ?? 4,
      result,
      retryDelayMs: (attempt, retryAfterMs) => retryAfterMs ?? retryDelayMs(attempt, this.o.retryBaseDelayMs),
      ...(unreachedDelayMs !== undefined ? { unreachedDelayMs } : {}),
      now: Date.now(),
    });
    const attempt = job.attempt;
    const { next } = decision;
    // The request version rides on the memoizing statement (its own when nothing is memoized), and
    // so does a completion with nothing else to record.
    const completion =
      next.type === "complete" && decision.stepErrors.length === 0 ? { output: next.output } : undefined;
    await tx.memoizeAll(decision.memoize, startedAt, result.version, completion);
    await tx.recordStepErrors(decision.stepErrors, startedAt);
    // Function-level outcomes (outside any step) go on the run's own timeline.
    if (next.type === "fail" || (next.type === "retry" && next.history)) {
      const error = next.type === "fail" ? next.error : (next.history?.error as SerializedError);
      await tx.recordAttempt({
        stepId: null,
        attempt,
        startedAt,
        outcome: next.type === "fail" ? "failed" : "error",
        error,
      });
    }
    switch (next.type) {
      case "complete":
        if (!completion) await tx.completeRun(next.output);
        return [];
      case "fail":
        if (next.error.name === "UnsupportedOperationError")
          this.o.logger.error(`run ${job.runId}: ${next.error.message}`);
        else this.o.logger.warn(`run ${job.runId} failed: ${next.error.name}: ${next.error.message}`);
        await tx.failRun(next.error);
        return [];
      case "retry":
        if (next.history) {
          await tx.appendHistory(next.history);
          this.o.logger.info(`run ${job.runId} attempt ${job.attempt} failed; retrying in ${next.delayMs}ms`);
        }
        await tx.retry(next.delayMs);
        return [];
      case "defer":
        this.o.logger.debug(`run ${job.runId}: app not reached (${next.reason}); trying again in ${next.delayMs}ms`);
        await tx.defer(next.delayMs);
        return [];
      case "continue": {
        for (const { op, delayMs } of decision.sleeps) await tx.scheduleSleep(op, delayMs);
        const planned = await tx.planAll(decision.plan, lease);
        const continued = await tx.finish(lease);
        return tx.claimed([...planned, ...continued]);
      }
    }
  }
}
