import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

export interface CreatePrismaClientOptions {
  connectionString: string;
  /** Pool size; keep small against the embedded server, which accepts few connections. */
  maxConnections?: number;
}

export function createPrismaClient({ connectionString, maxConnections = 5 }: CreatePrismaClientOptions): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: maxConnections });
  // Pools are small on purpose: under a burst a transaction waits its turn for a connection
  // (as a plain pg pool would) instead of failing after Prisma's default 2 s.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000 } });
}

export type Database = PrismaClient;
