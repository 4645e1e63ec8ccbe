// Synced apps and their functions.
import type { AppRegistration } from "../registration";
import type { Db, Sql } from "./db";
import { type FunctionRow, type StoredFunction, toFunction } from "./rows";

export async function registerApp(db: Db, reg: AppRegistration): Promise<void> {
  const s = db.s;
  await db.tx(async (c) => {
    await c.query(
      `INSERT INTO ${s}.apps (id, url, sdk, framework, warnings) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, sdk = EXCLUDED.sdk, framework = EXCLUDED.framework,
         warnings = EXCLUDED.warnings, updated_at = now()`,
      [reg.appId, reg.url, reg.sdk ?? null, reg.framework ?? null, JSON.stringify(reg.warnings)],
    );
    for (const fn of reg.functions) {
      await c.query(
        `INSERT INTO ${s}.functions (slug, app_id, name, step_url, triggers, max_attempts, idempotency,
           concurrency_limit, warnings, config)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9::jsonb, $10::jsonb)
         ON CONFLICT (slug) DO UPDATE SET app_id = EXCLUDED.app_id, name = EXCLUDED.name,
           step_url = EXCLUDED.step_url, triggers = EXCLUDED.triggers, max_attempts = EXCLUDED.max_attempts,
           idempotency = EXCLUDED.idempotency, concurrency_limit = EXCLUDED.concurrency_limit,
           warnings = EXCLUDED.warnings, config = EXCLUDED.config, updated_at = now(), deleted_at = NULL`,
        [
          fn.slug,
          fn.appId,
          fn.name,
          fn.stepUrl,
          JSON.stringify(fn.triggers),
          fn.maxAttempts,
          fn.idempotency ?? null,
          fn.concurrencyLimit ?? null,
          JSON.stringify(fn.warnings),
          JSON.stringify(fn.config),
        ],
      );
    }
    await c.query(
      `UPDATE ${s}.functions SET deleted_at = now() WHERE app_id = $1 AND deleted_at IS NULL AND NOT (slug = ANY($2::text[]))`,
      [reg.appId, reg.functions.map((f) => f.slug)],
    );
  });
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
