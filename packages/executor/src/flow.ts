// Flow control as Inngest does it, as pure functions: keyed step concurrency and throttled run
// starts (GCRA). The queue evaluates them inside its claim transaction.
import { type CompiledExpression, compileExpression } from "./expression";
import type { JsonObject } from "./json";

export interface ConcurrencyLimit {
  limit: number;
  /** Expression evaluated against `event`; absent = one limit for the whole scope. */
  key?: string;
  scope: "fn" | "env" | "account";
}

export interface ThrottleConfig {
  limit: number;
  periodMs: number;
  burst: number;
  key?: string;
}

/** A concurrency slot a run's jobs must hold while they call the SDK. */
export interface ConcurrencySlot {
  key: string;
  limit: number;
}

const compiled = new Map<string, CompiledExpression>();
function evaluateKey(source: string, event: JsonObject): string {
  let expr = compiled.get(source);
  if (!expr) {
    expr = compileExpression(source);
    compiled.set(source, expr);
  }
  const value = expr.evaluate({ event });
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The slots a run of `functionSlug` needs, evaluated once when the run is created. A function
 * scope is per function; env and account scopes share the slot with every function whose key
 * evaluates to the same value (one environment here, so both behave alike).
 */
export function concurrencySlots(
  functionSlug: string,
  limits: ConcurrencyLimit[],
  event: JsonObject,
): ConcurrencySlot[] {
  return limits.map((l) => {
    const value = l.key === undefined ? "" : `:${evaluateKey(l.key, event)}`;
    const prefix = l.scope === "fn" ? `f:${functionSlug}` : l.scope === "env" ? "e" : "a";
    return { key: `${prefix}${value}`, limit: l.limit };
  });
}

/** The throttle bucket a run of `functionSlug` starts in. */
export function throttleKey(functionSlug: string, throttle: ThrottleConfig, event: JsonObject): string {
  return throttle.key === undefined ? functionSlug : `${functionSlug}:${evaluateKey(throttle.key, event)}`;
}

export type ThrottleDecision = { admitted: true; tat: number } | { admitted: false; retryAt: number };

/**
 * Inngest's throttle (GCRA, as in its constraint API): `limit` starts per `period`, of which
 * `limit + burst` may start at once; after that one every `period / limit`. `tat` is the
 * bucket's stored "theoretical arrival time" (undefined = empty bucket). Runs over the limit
 * are delayed to `retryAt`, never dropped.
 */
export function throttle(config: ThrottleConfig, tat: number | undefined, now: number): ThrottleDecision {
  const limit = Math.max(1, config.limit);
  const emission = config.periodMs / limit;
  const tolerance = emission * (limit + Math.max(0, config.burst));
  const base = tat === undefined || now > tat ? now : tat;
  const newTat = base + emission;
  const allowAt = newTat - tolerance;
  if (now < allowAt) return { admitted: false, retryAt: Math.ceil(allowAt) };
  return { admitted: true, tat: newTat };
}

/**
 * Which candidate jobs may run now, in order, given how many slots each key already has in use.
 * A job needs a free slot on every key it carries; it takes them all or none.
 */
export function admitByConcurrency<T extends { slots: ConcurrencySlot[] }>(
  candidates: T[],
  inUse: Map<string, number>,
): T[] {
  const used = new Map(inUse);
  const admitted: T[] = [];
  for (const job of candidates) {
    if (job.slots.some((s) => (used.get(s.key) ?? 0) >= s.limit)) continue;
    for (const s of job.slots) used.set(s.key, (used.get(s.key) ?? 0) + 1);
    admitted.push(job);
  }
  return admitted;
}
