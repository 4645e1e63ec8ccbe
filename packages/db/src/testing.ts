import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { createPrismaClient, type Database } from "./client";
import { startEmbeddedPostgres } from "./embedded";
import { applyMigrations } from "./migrate";

export interface TestDatabase {
  url: string;
  db: Database;
  /** Drops the database (or stops the embedded server) and closes the client. */
  destroy(): Promise<void>;
}

/**
 * An isolated, migrated database for one test file: a fresh database on the server named by
 * TEST_DATABASE_URL when set, otherwise a fresh in-memory embedded PostgreSQL.
 */
export async function createTestDatabase({ maxConnections = 4 } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({ maxConnections: maxConnections + 4 });
    await applyMigrations(embedded.url);
    const db = createPrismaClient({ connectionString: embedded.url, maxConnections });
    return {
      url: embedded.url,
      db,
      async destroy() {
        await db.$disconnect();
        await embedded.stop();
      },
    };
  }

  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  const db = createPrismaClient({ connectionString: url.toString(), maxConnections });
  return {
    url: url.toString(),
    db,
    async destroy() {
      await db.$disconnect();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/**
 * `createTestDatabase()` for the calling test file: made before its tests (up to 60 s for a fresh
 * server), destroyed after them. Read `db` and `url` inside tests and hooks.
 */
export function setUpTestDatabase(options: { maxConnections?: number } = {}): Pick<TestDatabase, "url" | "db"> {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(options);
  }, 60_000);
  afterAll(async () => {
    await database?.destroy();
  });
  const made = () => {
    if (!database) throw new Error("The test database is made in beforeAll: read it inside tests and hooks");
    return database;
  };
  return {
    get url() {
      return made().url;
    },
    get db() {
      return made().db;
    },
  };
}
