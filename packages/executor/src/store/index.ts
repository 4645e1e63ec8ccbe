// PostgreSQL persistence: apps/functions, events, runs, memoized steps and the job queue, in the
// executor's own schema. Every state change the SDK's replay depends on (a step's result, the
// completion order "stack", the next job) is written in one transaction, and a job is claimed
// with a lease (FOR UPDATE SKIP LOCKED + lease_expires_at): a crashed executor's jobs become
// claimable again once their lease expires, so work resumes at the last stored step.
import type { JsonObject } from "../json";
import type { SdkOp } from "../ops";
import type { AppRegistration } from "../registration";
import { getFunction, listFunctions, registerApp } from "./apps";
import { fireDueCrons } from "./crons";
import { Db, type DbOptions } from "./db";
import { ingestEvents } from "./events";
import { findEvent, getAttempts, getRunRecord, getRunsForEvent, getSteps } from "./inspect";
import type { JobTx } from "./job-tx";
import * as queue from "./queue";
import type { AttemptRecord, ClaimedJob, EventInput, RunRecord, StepRecord, StoredFunction } from "./rows";
import { type PruneResult, pruneOlderThan } from "./retention";
import { migrate } from "./schema";

export { StoreKilledError } from "./db";
export type { DirectLease, JobTx } from "./job-tx";
export type { Claimed } from "./invocations";
export type * from "./rows";

export type StoreOptions = DbOptions;

/** One handle on the database for the scheduler, runner and HTTP API. */
export class Store {
  readonly db: Db;

  constructor(options: StoreOptions) {
    this.db = new Db(options);
  }

  kill(): void {
    this.db.kill();
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async init(): Promise<void> {
    await migrate(this.db);
  }

  registerApp(reg: AppRegistration): Promise<void> {
    return registerApp(this.db, reg);
  }

  listFunctions(): Promise<StoredFunction[]> {
    return listFunctions(this.db);
  }

  getFunction(slug: string): Promise<StoredFunction | undefined> {
    return getFunction(this.db, slug);
  }

  ingestEvents(events: EventInput[], idSeed?: string): Promise<{ ids: string[]; runIds: string[] }> {
    return ingestEvents(this.db, events, idSeed);
  }

  claimJobs(owner: string, leaseMs: number, max: number): Promise<queue.ClaimResult> {
    return queue.claimJobs(this.db, owner, leaseMs, max);
  }

  /** Removes a claimed job whose run has already ended. */
  async dropJob(job: ClaimedJob): Promise<void> {
    await this.db.query(`DELETE FROM ${this.db.s}.jobs WHERE id = $1 AND lease_token = $2`, [job.id, job.leaseToken]);
  }

  fireDueCrons(): Promise<string[]> {
    return fireDueCrons(this.db);
  }

  renewLeases(tokens: string[], leaseMs: number): Promise<void> {
    return queue.renewLeases(this.db, tokens, leaseMs);
  }

  releaseLeases(tokens: string[], delayMs = 0): Promise<void> {
    return queue.releaseLeases(this.db, tokens, delayMs);
  }

  withJob<T>(
    job: ClaimedJob,
    fn: (tx: JobTx) => Promise<T>,
  ): Promise<{ applied: true; value: T } | { applied: false }> {
    return queue.withJob(this.db, job, fn);
  }

  checkpoint(runId: string, queueItemId: string, ops: SdkOp[], leaseMs: number): Promise<"ok" | "stale"> {
    return queue.checkpoint(this.db, runId, queueItemId, ops, leaseMs);
  }

  getRunRecord(runId: string): Promise<RunRecord | undefined> {
    return getRunRecord(this.db, runId);
  }

  getSteps(runId: string): Promise<StepRecord[]> {
    return getSteps(this.db, runId);
  }

  findEvent(eventId: string): Promise<{ internalId: string; payload: JsonObject; receivedAt: Date } | undefined> {
    return findEvent(this.db, eventId);
  }

  getAttempts(runId: string): Promise<AttemptRecord[]> {
    return getAttempts(this.db, runId);
  }

  pruneOlderThan(cutoff: Date, batchSize: number): Promise<PruneResult> {
    return pruneOlderThan(this.db, cutoff, batchSize);
  }

  getRunsForEvent(internalId: string): Promise<RunRecord[]> {
    return getRunsForEvent(this.db, internalId);
  }
}
