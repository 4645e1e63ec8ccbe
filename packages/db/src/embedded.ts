import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { assertLocalServiceAllowed } from "@acme/config";

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
  /** Production mode refuses to start unless `localDemo`; both default to NODE_ENV and LOCAL_DEMO. */
  production?: boolean;
  localDemo?: boolean;
}

// PostgreSQL compiled to WASM, served over the wire protocol so Prisma's pg adapter
// (and psql) talk to it exactly as to a real server.
export async function startEmbeddedPostgres({
  dataDir,
  port = 0,
  maxConnections = 16,
  production,
  localDemo,
}: StartEmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  assertLocalServiceAllowed("embedded-postgres", { production, localDemo });
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections });
  keepProtocolSequencesTogether(server);
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

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/** Parse of invalid SQL, then Sync: puts the session in error and ends the implicit transaction. */
const ABORT_SEQUENCE = (() => {
  const sql = Buffer.from("ABORT ORPHANED SEQUENCE\0", "utf8");
  const parse = Buffer.alloc(1 + 4 + 1 + sql.length + 2);
  parse.write("P", 0);
  parse.writeInt32BE(4 + 1 + sql.length + 2, 1);
  parse.writeUInt8(0, 5); // unnamed statement
  sql.copy(parse, 6);
  parse.writeInt16BE(0, 6 + sql.length);
  const sync = Buffer.from([0x53, 0, 0, 0, 4]);
  return new Uint8Array(Buffer.concat([parse, sync]));
})();

/**
 * PGlite is one backend session shared by every socket. pglite-socket 0.2 keeps a client's
 * messages together only inside a transaction, so two clients' extended-protocol sequences
 * (Parse/Bind/Execute ... Sync) interleave and clobber each other's unnamed statement
 * ("bind message supplies 2 parameters, but prepared statement requires 3"). This replaces its
 * scheduler so a client also keeps the session from its first message until its Sync, and so
 * one failed message does not stall the queue.
 */
function keepProtocolSequencesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let sequenceOpen = false;

  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = this.lastHandlerId;
        let item: QueuedMessage | undefined;
        if (owner !== null && (sequenceOpen || this.db.isInTransaction())) {
          const index = this.queue.findIndex((q) => q.handlerId === owner);
          if (index === -1) break; // the owner's next message will restart the queue
          item = this.queue.splice(index, 1)[0];
        } else {
          item = this.queue.shift();
        }
        if (!item) break;
        const current = item;
        const type = current.message[0];
        try {
          let bytes = 0;
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
          this.lastHandlerId = current.handlerId;
          // A startup message begins with a zero length byte; it is complete on its own.
          sequenceOpen = type !== undefined && type !== 0 && type !== SYNC && type !== QUERY && type !== TERMINATE;
          current.resolve(bytes);
        } catch (error) {
          sequenceOpen = false;
          current.reject(error);
        }
      }
    } finally {
      this.processing = false;
    }
  };

  const clearTransaction = queue.clearTransactionIfNeeded.bind(queue);
  queue.clearTransactionIfNeeded = async (handlerId: number) => {
    if (queue.lastHandlerId === handlerId && sequenceOpen) {
      // The client left mid-sequence. A real server would end its session and roll back; here
      // the session lives on, so fail the sequence on purpose and close it: its implicit
      // transaction rolls back instead of being committed by the next client's Sync.
      sequenceOpen = false;
      await queue.db.runExclusive(() => queue.db.execProtocolRaw(ABORT_SEQUENCE)).catch(() => undefined);
    }
    await clearTransaction(handlerId);
    await queue.processQueue();
  };
}
