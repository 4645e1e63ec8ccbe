import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartEmbeddedPostgresOptions {
  /** Folder to persist data in; omit for an in-memory database (tests). */
  dataDir?: string;
  /** 0 picks a free port. */
  port?: number;
  maxConnections?: number;
}

// PostgreSQL compiled to WASM, served over the wire protocol so Prisma's pg adapter
// (and psql) talk to it exactly as to a real server.
export async function startEmbeddedPostgres({
  dataDir,
  port = 0,
  maxConnections = 16,
}: StartEmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections });
  await server.start();
  const actualPort = Number(server.getServerConn().split(":").pop());
  return {
    port: actualPort,
    url: `postgresql://postgres:postgres@127.0.0.1:${actualPort}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
