// Events in, runs out: trigger matching, run de-duplication and run creation.
//
// As in Inngest, every accepted event is stored under a new internal id (the id the API
// answers with); what is de-duplicated for 24 h is the run: one run per function and event
// `id`, and one per function and idempotency key.
import { type CompiledExpression, compileExpression, eventNameMatches, idempotencyKey } from "../expression";
import { concurrencySlots, throttleKey } from "../flow";
import { seededUlid, ulid } from "../ids";
import type { JsonObject } from "../json";
import type { Logger } from "../log";
import type { EventTrigger } from "../registration";
import type { Db, Sql } from "./db";
import { DEDUPE_WINDOW, type EventInput, type StoredFunction } from "./rows";

/** Stores events and creates the runs they trigger. */
export function ingestEvents(
  db: Db,
  events: EventInput[],
  idSeed?: string,
): Promise<{ ids: string[]; runIds: string[] }> {
  return db.functions.fresh().then(() => db.tx((c) => ingestEventsTx(c, db.logger, events, idSeed)));
}

/** The event as functions receive it: `user` is always an object, `id` defaults to the internal id. */
export function eventPayload(input: EventInput, internalId: string): JsonObject {
  return {
    id: input.id ?? internalId,
    name: input.name,
    data: input.data,
    user: input.user ?? {},
    ts: input.ts,
    ...(input.v !== undefined ? { v: input.v } : {}),
  };
}

export async function ingestEventsTx(
  c: Sql,
  logger: Logger,
  events: EventInput[],
  idSeed?: string,
): Promise<{ ids: string[]; runIds: string[] }> {
  const ids: string[] = [];
  const runIds: string[] = [];
  let fns: StoredFunction[] | undefined;

  for (const [index, input] of events.entries()) {
    const internalId = (idSeed && seededUlid(idSeed, index)) || ulid();
    const payload = eventPayload(input, internalId);
    ids.push(internalId);
    if (!(await storeEvent(c, internalId, payload))) continue; // the SDK retried a send we already stored

    fns ??= c.functions.list();
    for (const fn of fns) {
      if (!fn.triggers.some((t) => triggerMatches(logger, t, payload))) continue;
      const runId = await createRun(c, logger, fn, internalId, payload);
      if (runId) runIds.push(runId);
    }
  }
  return { ids, runIds };
}

export async function storeEvent(c: Sql, internalId: string, payload: JsonObject): Promise<boolean> {
  const inserted = await c.query(
    `INSERT INTO ${c.s}.events (internal_id, id, name, payload) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (internal_id) DO NOTHING RETURNING internal_id`,
    [internalId, payload.id, payload.name, JSON.stringify(payload)],
  );
  return inserted.rowCount !== 0;
}

const exprCache = new Map<string, CompiledExpression | null>();

function expression(logger: Logger, source: string): CompiledExpression | null {
  let compiled = exprCache.get(source);
  if (compiled === undefined) {
    try {
      compiled = compileExpression(source);
    } catch (err) {
      logger.warn(`unsupported expression "${source}": ${(err as Error).message}`);
      compiled = null;
    }
    exprCache.set(source, compiled);
  }
  return compiled;
}

function triggerMatches(logger: Logger, trigger: EventTrigger, event: JsonObject): boolean {
  if (typeof event.name !== "string" || !eventNameMatches(trigger.event, event.name)) return false;
  if (!trigger.expression) return true;
  const expr = expression(logger, trigger.expression);
  return expr ? Boolean(expr.evaluate({ event })) : false;
}

/**
 * Claims a function's 24 h de-duplication keys for a new run, in one statement: the event id's, then
 * (only if that one was free) the idempotency key's. A key another run holds unexpired is not taken.
 */
async function claimKeys(
  c: Sql,
  functionSlug: string,
  eventKey: string,
  idempotencyKey: string | null,
  runId: string,
): Promise<{ event: boolean; idempotency: boolean }> {
  const s = c.s;
  const upsert = `ON CONFLICT (function_slug, key) DO UPDATE SET run_id = EXCLUDED.run_id, expires_at = EXCLUDED.expires_at
       WHERE ${s}.idempotency_keys.expires_at < now()
     RETURNING run_id`;
  const res = await c.query<{ event: boolean; idempotency: boolean }>(
    `WITH e AS (
       INSERT INTO ${s}.idempotency_keys (function_slug, key, run_id, expires_at)
       VALUES ($1, $2, $4, now() + interval '${DEDUPE_WINDOW}')
       ${upsert}
     ), k AS (
       INSERT INTO ${s}.idempotency_keys (function_slug, key, run_id, expires_at)
       SELECT $1, $3, $4, now() + interval '${DEDUPE_WINDOW}' WHERE $3::text IS NOT NULL AND EXISTS (SELECT 1 FROM e)
       ${upsert}
     )
     SELECT EXISTS (SELECT 1 FROM e) AS event, EXISTS (SELECT 1 FROM k) AS idempotency`,
    [functionSlug, eventKey, idempotencyKey, runId],
  );
  return res.rows[0] ?? { event: false, idempotency: false };
}

export async function createRun(
  c: Sql,
  logger: Logger,
  fn: StoredFunction,
  eventInternalId: string,
  event: JsonObject,
  cron?: string,
): Promise<string | undefined> {
  const s = c.s;
  const runId = ulid();
  const eventId = typeof event.id === "string" ? event.id : eventInternalId;
  let key: string | undefined;
  if (fn.idempotency) {
    const expr = expression(logger, fn.idempotency);
    key = expr ? idempotencyKey(expr, event) : undefined;
  }
  const claimed = await claimKeys(c, fn.slug, `event:${eventId}`, key === undefined ? null : `key:${key}`, runId);
  if (!claimed.event) {
    logger.debug(`skipping ${fn.slug}: event id "${eventId}" already ran in the last 24h`);
    return undefined;
  }
  if (key !== undefined && !claimed.idempotency) {
    logger.info(`skipping ${fn.slug}: idempotency key "${key}" already used in the last 24h`);
    return undefined;
  }
  const slots = concurrencySlots(fn.slug, fn.concurrency, event);
  const throttle = fn.throttle ? { ...fn.throttle, key: throttleKey(fn.slug, fn.throttle, event) } : null;
  // The run and its first job in one statement; a run for this function and event already there adds neither.
  const inserted = await c.query(
    `WITH run AS (
       INSERT INTO ${s}.runs (id, function_slug, event_internal_id, event, status, idempotency_key, function_version,
         cron, slot_keys, slot_limits)
       VALUES ($1, $2, $3, $4::jsonb, 'Queued', $5, $6, $7, $8::text[], $9::int[])
       ON CONFLICT (function_slug, event_internal_id) DO NOTHING RETURNING id
     )
     INSERT INTO ${s}.jobs (run_id, function_slug, kind, attempt, run_at, slot_keys, slot_limits, throttle)
     SELECT id, $2, 'discover', 0, now(), $8::text[], $9::int[], $10::jsonb FROM run
     RETURNING run_id`,
    [
      runId,
      fn.slug,
      eventInternalId,
      JSON.stringify(event),
      key ?? null,
      fn.version,
      cron ?? null,
      slots.map((x) => x.key),
      slots.map((x) => x.limit),
      throttle ? JSON.stringify(throttle) : null,
    ],
  );
  if (inserted.rowCount === 0) return undefined;
  logger.debug(`run ${runId} created for ${fn.slug}`);
  return runId;
}
