import path from "node:path";
import { startEmbeddedPostgres } from "./embedded";
import { applyMigrations } from "./migrate";

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise an embedded PostgreSQL persisted under `.data/postgres`.
 * Either way the migrations are applied before this resolves.
 */
export async function resolveDatabase({
  dataDir = path.resolve(process.cwd(), ".data/postgres"),
  port = Number(process.env.EMBEDDED_POSTGRES_PORT ?? 54329),
} = {}): Promise<ResolvedDatabase> {
  const external = process.env.DATABASE_URL;
  if (external) {
    await applyMigrations(external);
    return { url: external, embedded: false, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({ dataDir, port });
  await applyMigrations(server.url);
  return { url: server.url, embedded: true, stop: server.stop };
}
