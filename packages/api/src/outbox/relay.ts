import { Prisma, type Database } from "@acme/db";
import type { EventPublisher } from "@acme/validators";

export interface OutboxRelayOptions {
  db: Database;
  publisher: EventPublisher;
  /** How often the sweep looks for rows a crash left undispatched. */
  sweepIntervalMs?: number;
  /** A claim lasts this long; an instance that dies mid-publish releases its rows when it expires. */
  claimMs?: number;
  /** The sweep leaves fresh rows to dispatchSoon for this long. */
  graceMs?: number;
  batchSize?: number;
  log?: (message: string, error?: unknown) => void;
}

interface ClaimedRow {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Publishes OutboxEvent rows after their transaction commits. Rows are claimed with a short
 * lease (one UPDATE ... SKIP LOCKED), so no transaction stays open across the network call
 * and several app instances can relay the same table without publishing a row twice.
 */
export class OutboxRelay {
  private readonly db: Database;
  private readonly publisher: EventPublisher;
  private readonly sweepIntervalMs: number;
  private readonly claimMs: number;
  private readonly graceMs: number;
  private readonly batchSize: number;
  private readonly log: (message: string, error?: unknown) => void;
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Rows handed to dispatchSoon while a dispatch was under way: the next one takes them all. */
  private readonly pending = new Set<string>();
  private dispatching = false;

  constructor(options: OutboxRelayOptions) {
    this.db = options.db;
    this.publisher = options.publisher;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 5_000;
    this.claimMs = options.claimMs ?? 30_000;
    this.graceMs = options.graceMs ?? 2_000;
    this.batchSize = options.batchSize ?? 100;
    this.log = options.log ?? ((message, error) => console.error(`[outbox] ${message}`, error ?? ""));
  }

  /**
   * Fire-and-forget dispatch of committed rows; failures are left to the sweep. One dispatch (claim,
   * publish, mark) runs at a time and takes every row handed over meanwhile, so under load many
   * updates share its three round trips, and an idle relay still starts at once.
   */
  dispatchSoon(ids: string | string[]): void {
    for (const id of Array.isArray(ids) ? ids : [ids]) this.pending.add(id);
    if (this.dispatching || this.pending.size === 0) return;
    this.dispatching = true;
    void this.track(this.dispatchPending(), "dispatch failed");
  }

  private async dispatchPending(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const ids = [...this.pending].slice(0, this.batchSize);
        for (const id of ids) this.pending.delete(id);
        await this.dispatch(ids).catch((error: unknown) =>
          this.log(`dispatch of ${ids.join(", ")} failed; the sweep will retry`, error),
        );
      }
    } finally {
      // In the same turn as the last look at `pending`, so no row handed over is left behind.
      this.dispatching = false;
    }
  }

  /** Publishes the given rows if still undispatched; returns how many were published. */
  async dispatch(ids: string[]): Promise<number> {
    return this.publishClaimed(await this.claim(Prisma.sql`id = ANY(${ids})`));
  }

  /** Publishes every row left undispatched (oldest first); returns how many were published. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.claim(
        Prisma.sql`"createdAt" < now() - ${this.graceMs} * interval '1 millisecond' ORDER BY "createdAt" LIMIT ${this.batchSize}`,
      );
      if (rows.length === 0) return total;
      total += await this.publishClaimed(rows);
      if (rows.length < this.batchSize) return total;
    }
  }

  /** Leases the undispatched, unclaimed rows that `selection` (a condition, with any order/limit) picks. */
  private claim(selection: Prisma.Sql): Promise<ClaimedRow[]> {
    return this.db.$queryRaw<ClaimedRow[]>`
      UPDATE "OutboxEvent" SET "lockedUntil" = now() + ${this.claimMs} * interval '1 millisecond', attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM "OutboxEvent"
        WHERE "dispatchedAt" IS NULL AND ("lockedUntil" IS NULL OR "lockedUntil" < now()) AND ${selection}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, name, payload, "createdAt"`;
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      void this.track(this.sweep(), "sweep failed").then(() => {
        if (this.timer) this.timer = setTimeout(tick, this.sweepIntervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops the sweep and waits for publishes already under way. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Background work that stop() waits for; its failure is logged, never thrown. */
  private track(work: Promise<unknown>, failure: string): Promise<void> {
    const task = work.then(
      () => undefined,
      (error: unknown) => this.log(failure, error),
    );
    this.inFlight.add(task);
    return task.finally(() => this.inFlight.delete(task));
  }

  private async publishClaimed(rows: ClaimedRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const ids = rows.map((row) => row.id);
    try {
      await this.publisher.publish(
        rows
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
          .map((row) => ({ id: row.id, name: row.name, data: row.payload, ts: row.createdAt.getTime() })),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Release the claim so the next sweep tries again.
      await this.db.$executeRaw`
        UPDATE "OutboxEvent" SET "lockedUntil" = NULL, "lastError" = ${message.slice(0, 2000)} WHERE id = ANY(${ids})`;
      throw error;
    }
    await this.db.$executeRaw`
      UPDATE "OutboxEvent" SET "dispatchedAt" = now(), "lockedUntil" = NULL, "lastError" = NULL WHERE id = ANY(${ids})`;
    return rows.length;
  }
}
