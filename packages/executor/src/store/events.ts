// Events in, runs out: de-duplication, trigger matching and run creation.
import { type CompiledExpression, compileExpression, eventNameMatches, idempotencyKey } from "../expression";
import { seededUlid, ulid } from "../ids";
import type { JsonObject } from "../json";
import type { Logger } from "../log";
import type { EventTrigger } from "../registration";
import { listFunctions } from "./apps";
import type { Db, Sql } from "./db";
import { DEDUPE_WINDOW, type EventInput, type StoredFunction } from "./rows";

/** Stores events (de-duplicated by `id` for 24 h) and creates the runs they trigger. */
export function ingestEvents(
  db: Db,
  events: EventInput[],
  idSeed?: string,
): Promise<{ ids: string[]; runIds: string[] }> {
  return db.tx((c) => ingestEventsTx(c, db.logger, events, idSeed));
}

export async function ingestEventsTx(
  c: Sql,
  logger: Logger,
  events: EventInput[],
  idSeed?: string,
): Promise<{ ids: string[]; runIds: string[] }> {
  const s = c.s;
  const ids: string[] = [];
  const runIds: string[] = [];
  let fns: StoredFunction[] | undefined;

  for (const [index, input] of events.entries()) {
    const internalId = (idSeed && seededUlid(idSeed, index)) || ulid();

    if (input.id) {
      const claimed = await c.query<{ internal_id: string }>(
        `INSERT INTO ${s}.event_dedupe (event_id, internal_id, expires_at)
         VALUES ($1, $2, now() + interval '${DEDUPE_WINDOW}')
         ON CONFLICT (event_id) DO UPDATE SET internal_id = EXCLUDED.internal_id, expires_at = EXCLUDED.expires_at
           WHERE ${s}.event_dedupe.expires_at < now()
         RETURNING internal_id`,
        [input.id, internalId],
      );
      if (claimed.rowCount === 0) {
        const existing = await c.query<{ internal_id: string }>(
          `SELECT internal_id FROM ${s}.event_dedupe WHERE event_id = $1`,
          [input.id],
        );
        ids.push(existing.rows[0]?.internal_id ?? internalId);
        logger.debug("duplicate event ignored", { id: input.id, name: input.name });
        continue;
      }
    }

    const payload: JsonObject = {
      id: input.id ?? internalId,
      name: input.name,
      data: input.data,
      ts: input.ts,
      ...(input.v !== undefined ? { v: input.v } : {}),
      ...(input.user !== undefined ? { user: input.user } : {}),
    };
    const inserted = await c.query(
      `INSERT INTO ${s}.events (internal_id, id, name, payload) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (internal_id) DO NOTHING RETURNING internal_id`,
      [internalId, payload.id, input.name, JSON.stringify(payload)],
    );
    ids.push(internalId);
    // Same seeded id = the SDK retried a send we already stored.
    if (inserted.rowCount === 0) continue;

    fns ??= await listFunctions(c);
    for (const fn of fns) {
      if (!fn.triggers.some((t) => triggerMatches(logger, t, payload))) continue;
      const runId = await createRun(c, logger, fn, internalId, payload);
      if (runId) runIds.push(runId);
    }
  }
  return { ids, runIds };
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

async function createRun(
  c: Sql,
  logger: Logger,
  fn: StoredFunction,
  eventInternalId: string,
  event: JsonObject,
): Promise<string | undefined> {
  const s = c.s;
  const runId = ulid();
  let key: string | undefined;
  if (fn.idempotency) {
    const expr = expression(logger, fn.idempotency);
    key = expr ? idempotencyKey(expr, event) : undefined;
    if (key !== undefined) {
      const claimed = await c.query(
        `INSERT INTO ${s}.idempotency_keys (function_slug, key, run_id, expires_at)
         VALUES ($1, $2, $3, now() + interval '${DEDUPE_WINDOW}')
         ON CONFLICT (function_slug, key) DO UPDATE SET run_id = EXCLUDED.run_id, expires_at = EXCLUDED.expires_at
           WHERE ${s}.idempotency_keys.expires_at < now()
         RETURNING run_id`,
        [fn.slug, key, runId],
      );
      if (claimed.rowCount === 0) {
        logger.info(`skipping ${fn.slug}: idempotency key "${key}" already used in the last 24h`);
        return undefined;
      }
    }
  }
  const inserted = await c.query(
    `INSERT INTO ${s}.runs (id, function_slug, event_internal_id, event, status, idempotency_key)
     VALUES ($1, $2, $3, $4::jsonb, 'Queued', $5)
     ON CONFLICT (function_slug, event_internal_id) DO NOTHING RETURNING id`,
    [runId, fn.slug, eventInternalId, JSON.stringify(event), key ?? null],
  );
  if (inserted.rowCount === 0) return undefined;
  await c.query(
    `INSERT INTO ${s}.jobs (run_id, function_slug, kind, attempt, run_at) VALUES ($1, $2, 'discover', 0, now())`,
    [runId, fn.slug],
  );
  logger.debug(`run ${runId} created for ${fn.slug}`);
  return runId;
}
