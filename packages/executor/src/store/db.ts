// Connection handling: one pg pool, transactions, and the simulated crash used by tests.
import pg from "pg";
import type { Logger } from "../log";
import { FunctionCache } from "./apps";

/** Anything that runs SQL: the pool or a transaction's client. `s` is the quoted schema name. */
export interface Sql {
  readonly s: string;
  readonly functions: FunctionCache;
  query<R extends pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** Thrown for any query after `kill()`, so a "crashed" executor writes nothing more. */
export class StoreKilledError extends Error {
  override name = "StoreKilledError";
}

export interface DbOptions {
  connectionString: string;
  poolSize: number;
  schema: string;
  logger: Logger;
}

export class Db implements Sql {
  readonly pool: pg.Pool;
  readonly s: string;
  readonly logger: Logger;
  private killed = false;

  /** The registered functions, cached (see FunctionCache). */
  readonly functions: FunctionCache;

  constructor(options: DbOptions) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new Error(`Invalid schema name "${options.schema}"`);
    this.s = `"${options.schema}"`;
    this.logger = options.logger;
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize });
    // Idle clients can be dropped by the server (e.g. the embedded server stopping); don't crash.
    this.pool.on("error", (err) => this.logger.debug("idle pg client error", { err: err.message }));
    this.functions = new FunctionCache(this);
  }

  kill(): void {
    this.killed = true;
  }

  get isKilled(): boolean {
    return this.killed;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  query<R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    if (this.killed) return Promise.reject(new StoreKilledError("executor was killed"));
    return this.pool.query<R>(text, params);
  }

  /**
   * Runs `fn` in a transaction. Inside it, use only the `sql` handed in: the embedded PostgreSQL
   * (PGlite) runs one transaction at a time across all connections, so a pool query while a
   * transaction is open would wait for it forever.
   */
  async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    if (this.killed) throw new StoreKilledError("executor was killed");
    const c = await this.pool.connect();
    const sql: Sql = {
      s: this.s,
      functions: this.functions,
      query: <R extends pg.QueryResultRow>(text: string, params: unknown[] = []) => {
        if (this.killed) return Promise.reject(new StoreKilledError("executor was killed"));
        return c.query<R>(text, params);
      },
    };
    let broken = false;
    try {
      await c.query("BEGIN");
      const out = await fn(sql);
      if (this.killed) throw new StoreKilledError("executor was killed");
      await c.query("COMMIT");
      return out;
    } catch (err) {
      if (this.killed) {
        // Destroying the connection makes the server roll back, like a real crash.
        broken = true;
      } else {
        try {
          await c.query("ROLLBACK");
        } catch {
          broken = true;
        }
      }
      throw err;
    } finally {
      c.release(broken);
    }
  }
}
