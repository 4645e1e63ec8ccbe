import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { DevstackConfig } from "@acme/config";
import { applyMigrations, createPrismaClient, resolveDatabase, type Database } from "@acme/db";

export interface CommandDatabase {
  db: Database;
  /** Where the command's data lives, for its messages. */
  description: string;
  close(): Promise<void>;
}

/**
 * The database a one-off command (admin:grant, demo:remove, doctor) works on, the one the dev
 * stack uses: DATABASE_URL, else the embedded server the running stack serves, else the embedded
 * data folder opened for the command alone (PGlite's folder must never be opened twice at once).
 * Null when there is no embedded data folder yet and `ifMissing` is "skip".
 */
export async function openCommandDatabase(
  config: DevstackConfig,
  dataDir: string,
  { ifMissing = "create" }: { ifMissing?: "create" | "skip" } = {},
): Promise<CommandDatabase | null> {
  if (config.database.url) {
    await applyMigrations(config.database.url);
    return wrap(config.database.url, "DATABASE_URL", async () => {});
  }
  const runningUrl = `postgresql://postgres:postgres@127.0.0.1:${config.database.embeddedPort}/postgres?sslmode=disable`;
  if (await answers(runningUrl)) {
    return wrap(runningUrl, `the running embedded PostgreSQL (port ${config.database.embeddedPort})`, async () => {});
  }
  const folder = path.join(dataDir, "postgres");
  if (!existsSync(folder) && ifMissing === "skip") return null;
  // Port 0: a private server for this command, started like the dev stack does (migrations included).
  const database = await resolveDatabase({ dataDir: folder, port: 0 });
  return wrap(database.url, `the embedded data in ${folder}`, () => database.stop());
}

function wrap(url: string, description: string, stop: () => Promise<void>): CommandDatabase {
  const db = createPrismaClient({ connectionString: url, maxConnections: 1 });
  return {
    db,
    description,
    async close() {
      await db.$disconnect();
      await stop();
    },
  };
}

/** Whether a PostgreSQL server answers at `url` (a quick connect, no retries). */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
