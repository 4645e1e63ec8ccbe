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
  /** Force one-at-a-time DB access; auto-enabled when the server is PGlite. */
  serializeQueries?: boolean;
}

export class Db implements Sql {
  readonly pool: pg.Pool;
  readonly s: string;
  readonly logger: Logger;
  private killed = false;
  /**
   * The embedded PGlite socket server runs every connection on one backend and does not keep
   * one connection's extended-protocol messages (Parse/Bind/Execute) together, so concurrent
   * connections clobber each other's unnamed statements ("prepared statement does not exist").
   * Against it we run one query/transaction at a time; PGlite is single-threaded anyway.
   */
  private serialize: boolean;
  private lock: Promise<void> = Promise.resolve();

  /** The registered functions, cached (see FunctionCache). */
  readonly functions: FunctionCache;

  constructor(options: DbOptions) {
    this.serialize = options.serializeQueries ?? false;
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

  /** Detects PGlite (see `serialize`). */
  async detectServer(): Promise<void> {
    const version = await this.pool.query<{ version: string }>("SELECT version()");
    if (version.rows[0]?.version.includes("PGlite") && !this.serialize) {
      this.serialize = true;
      this.logger.debug("PGlite detected: serializing database access");
    }
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.serialize) return fn();
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((r) => {
      release = r;
    });
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  query<R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    if (this.killed) return Promise.reject(new StoreKilledError("executor was killed"));
    return this.exclusive(() => this.pool.query<R>(text, params));
  }

  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.txUnlocked(fn));
  }

  private async txUnlocked<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
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
