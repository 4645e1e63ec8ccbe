import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

export interface CreatePrismaClientOptions {
  connectionString: string;
  /** Pool size; keep small against the embedded server, which accepts few connections. */
  maxConnections?: number;
  /** Server-side limit per statement, so one slow query cannot hold a pooled connection for long. */
  statementTimeoutMs?: number;
}

export function createPrismaClient({
  connectionString,
  maxConnections = 5,
  statementTimeoutMs,
}: CreatePrismaClientOptions): PrismaClient {
  const adapter = new PrismaPg({
    connectionString,
    max: maxConnections,
    // Prisma reads timestamp columns as UTC, while column defaults and raw statements write now() in
    // the session's TimeZone: sessions run in UTC whatever the server's default (an `options` in the
    // connection string takes precedence over this one).
    options: "-c TimeZone=UTC",
    ...(statementTimeoutMs && { statement_timeout: statementTimeoutMs }),
  });
  // Pools are small on purpose: under a burst a transaction waits its turn for a connection
  // (as a plain pg pool would) instead of failing after Prisma's default 2 s.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000 } });
}

export type Database = PrismaClient;
