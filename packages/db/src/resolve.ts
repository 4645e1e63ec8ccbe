import path from "node:path";
import { startEmbeddedPostgres } from "./embedded";
import { applyMigrations } from "./migrate";

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface ResolveDatabaseOptions {
  /** An external PostgreSQL (DATABASE_URL); when unset, an embedded one is started. */
  externalUrl?: string | undefined;
  dataDir?: string;
  port?: number;
  /** Passed to the embedded server, which refuses production mode unless asked for a local demo. */
  production?: boolean;
  localDemo?: boolean;
}

/**
 * The external database when given; otherwise an embedded PostgreSQL persisted under `dataDir`.
 * Either way the migrations are applied before this resolves.
 */
export async function resolveDatabase({
  externalUrl: external,
  dataDir = path.resolve(process.cwd(), ".data/postgres"),
  port = 54329,
  production,
  localDemo,
}: ResolveDatabaseOptions = {}): Promise<ResolvedDatabase> {
  if (external) {
    await applyMigrations(external);
    return { url: external, embedded: false, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({ dataDir, port, production, localDemo });
  await applyMigrations(server.url);
  return { url: server.url, embedded: true, stop: () => server.stop() };
}
