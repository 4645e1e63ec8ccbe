// Claim loop with bounded concurrency, lease heartbeats and graceful/abrupt shutdown.
import type { Logger } from "./log";
import type { Runner } from "./runner";
import type { ClaimResult } from "./store/queue";
import { type Claimed, type ClaimedJob, type DirectLease, type Store, StoreKilledError } from "./store";

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

  private get free(): number {
    return this.o.concurrency - this.inflight.size;
  }

  /** The runner may lease the jobs an outcome creates to us while we have room for them. */
  directLease(): DirectLease | undefined {
    return this.stopping || this.free < 0 ? undefined : { owner: this.o.owner, leaseMs: this.o.leaseMs };
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        this.wakePending = false;
        let wait = this.o.pollIntervalMs;
        let last: ClaimResult | undefined;
        while (!this.stopping && this.free > 0) {
          const asked = this.free;
          last = await this.o.store.claimJobs(this.o.owner, this.o.leaseMs, asked);
          if (this.stopping) {
            if (last.claimed.length > 0) await this.o.store.releaseLeases(last.claimed.map((c) => c.job.leaseToken));
            break;
          }
          for (const claimed of last.claimed) this.launch(claimed);
          if (last.nextCronsMs === 0 && (await this.o.store.fireDueCrons()).length > 0) this.wakePending = true;
          if (last.claimed.length < asked) break;
        }
        if (this.stopping) break;
        if (last?.nextCronsMs !== undefined && last.nextCronsMs > 0) wait = Math.min(wait, last.nextCronsMs);
        // Jobs held back by a concurrency slot wait for a finished job (which wakes us) or the poll.
        if (this.free > 0 && last?.nextJobsMs !== undefined && !last.blocked) {
          wait = Math.min(wait, Math.max(5, last.nextJobsMs));
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

  private launch(claimed: Claimed): void {
    const { job } = claimed;
    const controller = new AbortController();
    const done = this.o.runner
      .process(claimed, controller.signal)
      .then(async (next) => {
        this.inflight.delete(job.id);
        this.o.logger.debug(`job ${job.id} done; ${next.length} follow-up(s), free ${this.free}`);
        // The run's next work, already leased to us: start it now, or hand it back when full.
        const extra = next.slice(Math.max(0, this.free));
        for (const c of next.slice(0, Math.max(0, this.free))) {
          if (this.stopping) extra.push(c);
          else this.launch(c);
        }
        if (extra.length > 0) await this.o.store.releaseLeases(extra.map((c) => c.job.leaseToken));
      })
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
        if (this.inflight.get(job.id)?.done === done) this.inflight.delete(job.id);
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
