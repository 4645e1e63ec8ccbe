// The periodic retention job: every `intervalMs`, delete what is older than `maxAgeMs`.
import type { Logger } from "./log";
import type { Store } from "./store";

export interface RetentionOptions {
  store: Store;
  logger: Logger;
  maxAgeMs: number;
  intervalMs: number;
  batchSize: number;
}

export class Retention {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly o: RetentionOptions) {}

  /** First pass soon after start (not at once: start-up has enough to do), then every interval. */
  start(firstDelayMs = Math.min(10_000, this.o.intervalMs)): void {
    this.schedule(firstDelayMs);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => this.schedule(this.o.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  async runOnce(): Promise<void> {
    if (this.stopped) return;
    try {
      const cutoff = new Date(Date.now() - this.o.maxAgeMs);
      const result = await this.o.store.pruneOlderThan(cutoff, this.o.batchSize);
      if (result.runs > 0 || result.events > 0) {
        this.o.logger.info(
          `retention: deleted ${result.runs} run(s) and ${result.events} event(s) older than ${cutoff.toISOString()}`,
        );
      }
    } catch (err) {
      if (!this.stopped) this.o.logger.warn("retention pass failed; will try again", { err: (err as Error).message });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
