import { randomUUID } from "node:crypto";

/**
 * An id for a row a raw statement inserts (Prisma's `@default(cuid())` applies to its own queries
 * only): 32 lowercase hex characters, safe in URLs and link tokens, as a cuid is.
 */
export function newRowId(): string {
  return randomUUID().replaceAll("-", "");
}
