import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

export interface CreatePrismaClientOptions {
  connectionString: string;
  /** Pool size; keep small against the embedded server, which accepts few connections. */
  maxConnections?: number;
}

export function createPrismaClient({ connectionString, maxConnections = 5 }: CreatePrismaClientOptions): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: maxConnections });
  return new PrismaClient({ adapter });
}

export type Database = PrismaClient;
