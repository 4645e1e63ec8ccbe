// Synced apps and their functions, and the cron schedules their triggers ask for.
import { nextCronTime } from "../cron";
import type { AppRegistration } from "../registration";
import type { Db, Sql } from "./db";
import { type FunctionRow, type StoredFunction, toFunction } from "./rows";

export async function registerApp(db: Db, reg: AppRegistration, now = new Date()): Promise<void> {
  const s = db.s;
  await db.tx(async (c) => {
    await c.query(
      `INSERT INTO ${s}.apps (id, url, sdk, framework) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, sdk = EXCLUDED.sdk, framework = EXCLUDED.framework,
         updated_at = now()`,
      [reg.appId, reg.url, reg.sdk ?? null, reg.framework ?? null],
    );
    for (const fn of reg.functions) {
      // The version goes up only when the configuration really changed (Inngest's function_version).
      await c.query(
        `INSERT INTO ${s}.functions (slug, app_id, name, step_url, triggers, max_attempts, idempotency,
           concurrency, throttle, crons, config)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11::jsonb)
         ON CONFLICT (slug) DO UPDATE SET app_id = EXCLUDED.app_id, name = EXCLUDED.name,
           step_url = EXCLUDED.step_url, triggers = EXCLUDED.triggers, max_attempts = EXCLUDED.max_attempts,
           idempotency = EXCLUDED.idempotency, concurrency = EXCLUDED.concurrency, throttle = EXCLUDED.throttle,
           crons = EXCLUDED.crons, config = EXCLUDED.config, updated_at = now(), deleted_at = NULL,
           version = ${s}.functions.version
             + CASE WHEN ${s}.functions.config = EXCLUDED.config AND ${s}.functions.deleted_at IS NULL THEN 0 ELSE 1 END`,
        [
          fn.slug,
          fn.appId,
          fn.name,
          fn.stepUrl,
          JSON.stringify(fn.triggers),
          fn.maxAttempts,
          fn.idempotency ?? null,
          JSON.stringify(fn.concurrency),
          fn.throttle ? JSON.stringify(fn.throttle) : null,
          JSON.stringify(fn.crons),
          JSON.stringify(fn.config),
        ],
      );
      await c.query(`DELETE FROM ${s}.crons WHERE function_slug = $1 AND NOT (expression = ANY($2::text[]))`, [
        fn.slug,
        fn.crons,
      ]);
      for (const expression of fn.crons) {
        await c.query(
          `INSERT INTO ${s}.crons (function_slug, expression, next_at) VALUES ($1, $2, $3)
           ON CONFLICT (function_slug, expression) DO NOTHING`,
          [fn.slug, expression, nextCronTime(expression, now)],
        );
      }
    }
    await c.query(
      `UPDATE ${s}.functions SET deleted_at = now() WHERE app_id = $1 AND deleted_at IS NULL AND NOT (slug = ANY($2::text[]))`,
      [reg.appId, reg.functions.map((f) => f.slug)],
    );
    await c.query(
      `DELETE FROM ${s}.crons WHERE function_slug IN (SELECT slug FROM ${s}.functions WHERE app_id = $1 AND deleted_at IS NOT NULL)`,
      [reg.appId],
    );
  });
  db.functions.invalidate();
}

export async function listFunctions(sql: Sql): Promise<StoredFunction[]> {
  const res = await sql.query<FunctionRow>(`SELECT * FROM ${sql.s}.functions WHERE deleted_at IS NULL`);
  return res.rows.map(toFunction);
}

export async function getFunction(sql: Sql, slug: string): Promise<StoredFunction | undefined> {
  const res = await sql.query<FunctionRow>(`SELECT * FROM ${sql.s}.functions WHERE slug = $1`, [slug]);
  const row = res.rows[0];
  return row ? toFunction(row) : undefined;
}

/**
 * Functions change only when an app syncs, but are read for every event and every claimed job:
 * they are kept in memory and re-read at most once per `ttlMs` (a sync through this executor
 * takes effect at once; one through another executor sharing the database within `ttlMs`).
 */
export class FunctionCache {
  private bySlug = new Map<string, StoredFunction>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly ttlMs = 1000,
  ) {}

  invalidate(): void {
    this.loadedAt = Number.NEGATIVE_INFINITY;
  }

  /** Call outside any transaction (it uses the pool). */
  async fresh(): Promise<void> {
    if (Date.now() - this.loadedAt < this.ttlMs) return;
    this.loading ??= (async () => {
      const res = await this.sql.query<FunctionRow>(`SELECT * FROM ${this.sql.s}.functions`);
      this.bySlug = new Map(res.rows.map((row) => [row.slug, toFunction(row)]));
      this.loadedAt = Date.now();
    })().finally(() => {
      this.loading = undefined;
    });
    await this.loading;
  }

  get(slug: string): StoredFunction | undefined {
    return this.bySlug.get(slug);
  }

  /** Registered (not deleted) functions. */
  list(): StoredFunction[] {
    return [...this.bySlug.values()].filter((f) => !f.deletedAt);
  }
}
