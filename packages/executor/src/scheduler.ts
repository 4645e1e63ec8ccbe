// Claim loop with bounded concurrency, lease heartbeats and graceful/abrupt shutdown.
import type { Logger } from "./log";
import type { Runner } from "./runner";
import { type ClaimedJob, type Store, StoreKilledError } from "./store";

export interface SchedulerOptions {
  store: Store;
  runner: Runner;
  logger: Logger;
  owner: string;
  concurrency: number;
  leaseMs: number;
  pollIntervalMs: number;
}

interface InFlight {
  job: ClaimedJob;
  controller: AbortController;
  done: Promise<void>;
}

export class Scheduler {
  private readonly inflight = new Map<string, InFlight>();
  private stopping = false;
  private killed = false;
  private wakePending = false;
  private wakeUp: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly o: SchedulerOptions) {}

  start(): void {
    if (this.stopping || this.loopDone) return;
    this.loopDone = this.loop();
    // Renew well before expiry so a slow SDK request never loses its lease.
    this.heartbeat = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.o.leaseMs / 3)));
  }

  /** Re-check for work now (new event, finished job) instead of at the next poll. */
  wake(): void {
    this.wakePending = true;
    this.wakeUp?.();
  }

  get inFlightCount(): number {
    return this.inflight.size;
  }

  private async renew(): Promise<void> {
    const tokens = [...this.inflight.values()].map((f) => f.job.leaseToken);
    try {
      await this.o.store.renewLeases(tokens, this.o.leaseMs);
    } catch (err) {
      if (!this.killed) this.o.logger.warn("lease renewal failed", { err: (err as Error).message });
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakePending || this.stopping) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    }).then(() => {
      this.wakeUp = undefined;
      this.wakePending = false;
    });
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        this.wakePending = false;
        while (!this.stopping && this.inflight.size < this.o.concurrency) {
          const jobs = await this.o.store.claimJobs(
            this.o.owner,
            this.o.leaseMs,
            this.o.concurrency - this.inflight.size,
          );
          if (this.stopping) {
            if (jobs.length > 0) await this.o.store.releaseLeases(jobs.map((j) => j.leaseToken));
            break;
          }
          for (const job of jobs) this.launch(job);
          if (jobs.length === 0) break;
        }
        if (this.stopping) break;
        let wait = this.o.pollIntervalMs;
        const due = await this.o.store.nextDue();
        if (due.cronsMs === 0) {
          const runs = await this.o.store.fireDueCrons();
          if (runs.length > 0) this.wakePending = true;
        } else if (due.cronsMs !== undefined) wait = Math.min(wait, Math.max(5, due.cronsMs));
        if (this.inflight.size < this.o.concurrency && due.jobsMs !== undefined) {
          wait = Math.min(wait, Math.max(5, due.jobsMs));
        }
        failures = 0;
        await this.sleep(wait);
      } catch (err) {
        if (this.stopping || err instanceof StoreKilledError) break;
        failures++;
        this.o.logger.error("scheduler loop error", { err: (err as Error).message });
        await this.sleep(Math.min(5000, 100 * 2 ** failures));
      }
    }
  }

  private launch(job: ClaimedJob): void {
    const controller = new AbortController();
    const done = this.o.runner
      .process(job, controller.signal)
      .catch(async (err: unknown) => {
        if (this.killed || err instanceof StoreKilledError) return;
        this.o.logger.error(`processing job ${job.id} of run ${job.runId} failed; will retry`, {
          err: (err as Error).message,
        });
        try {
          await this.o.store.releaseLeases([job.leaseToken], 1000);
        } catch {
          // The lease will simply expire.
        }
      })
      .finally(() => {
        this.inflight.delete(job.id);
        this.wake();
      });
    this.inflight.set(job.id, { job, controller, done });
  }

  /** Stops claiming, waits up to `timeoutMs` for in-flight requests, then aborts and releases the rest. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loopDone;
    const all = [...this.inflight.values()];
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.allSettled(all.map((f) => f.done)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    const remaining = [...this.inflight.values()];
    for (const f of remaining) f.controller.abort();
    await Promise.allSettled(remaining.map((f) => f.done));
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (remaining.length > 0) {
      await this.o.store.releaseLeases(remaining.map((f) => f.job.leaseToken));
      this.o.logger.info(`released ${remaining.length} in-flight job(s) on shutdown`);
    }
  }

  /** Simulates a crash: abort everything, write nothing, leave leases to expire. */
  async kill(): Promise<void> {
    this.killed = true;
    this.stopping = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.wake();
    for (const f of this.inflight.values()) f.controller.abort();
    await this.loopDone?.catch(() => undefined);
    await Promise.allSettled([...this.inflight.values()].map((f) => f.done));
  }
}
