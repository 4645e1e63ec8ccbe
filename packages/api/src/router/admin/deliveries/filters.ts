import type { Database, Prisma } from "@acme/db";
import { z } from "zod";
import { DELIVERY_CHANNELS, DELIVERY_STATUSES } from "@acme/validators";

/** The filters shared by the history table, its live poll and "retry all matching". */
export const deliveryFilterShape = {
  status: z.enum(DELIVERY_STATUSES).optional(),
  channel: z.enum(DELIVERY_CHANNELS).optional(),
  /** Created at or after. */
  from: z.date().optional(),
  /** Created before. */
  to: z.date().optional(),
  /** A user's email or username (part of it, any case), or an exact change, event or delivery id. */
  search: z.string().trim().max(200).optional(),
  /** Only deliveries of changes the user reported through "this wasn't me". */
  reported: z.boolean().optional(),
};

export const deliveryFiltersSchema = z.strictObject(deliveryFilterShape);
export type DeliveryFilters = z.output<typeof deliveryFiltersSchema>;

/** (createdAt, id) of the last row shown: the next page starts strictly after it. */
export const deliveryCursorSchema = z.strictObject({ createdAt: z.date(), id: z.string().min(1).max(64) });
export type DeliveryCursor = z.output<typeof deliveryCursorSchema>;

export const newestFirst = [{ createdAt: "desc" }, { id: "desc" }] satisfies Prisma.DeliveryOrderByWithRelationInput[];

/** A search matches at most this many users (by email or username); narrow it to see others. */
export const MAX_SEARCH_USERS = 200;

/**
 * The filters as a Prisma condition, plus any `extra` conditions (a cursor, a status set).
 * A search is resolved to user ids first, so the delivery query is a union of index look-ups
 * instead of a scan joining every delivery to its user.
 */
export async function deliveryWhere(
  db: Database,
  filters: DeliveryFilters,
  ...extra: Prisma.DeliveryWhereInput[]
): Promise<Prisma.DeliveryWhereInput> {
  const and: Prisma.DeliveryWhereInput[] = [...extra];
  if (filters.status) and.push({ status: filters.status });
  if (filters.channel) and.push({ channel: filters.channel });
  if (filters.from) and.push({ createdAt: { gte: filters.from } });
  if (filters.to) and.push({ createdAt: { lt: filters.to } });
  if (filters.reported) and.push({ profileChange: { reportedAt: { not: null } } });
  const search = filters.search;
  if (search) {
    const part = escapeLike(search);
    const users = await db.user.findMany({
      where: {
        OR: [
          { email: { contains: part, mode: "insensitive" } },
          { usernameNormalized: { contains: part.toLowerCase() } },
        ],
      },
      select: { id: true },
      take: MAX_SEARCH_USERS,
    });
    and.push({
      OR: [
        { id: search },
        { profileChangeId: search },
        { eventId: search },
        ...(users.length > 0 ? [{ userId: { in: users.map((u) => u.id) } }] : []),
      ],
    });
  }
  return { AND: and };
}

/** Rows that sort after `cursor` in (createdAt desc, id desc) order. */
export function olderThan(cursor: DeliveryCursor): Prisma.DeliveryWhereInput {
  // The redundant bound lets PostgreSQL start the index scan at the cursor.
  return {
    createdAt: { lte: cursor.createdAt },
    OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }],
  };
}

/** Rows that sort before `cursor` in (createdAt desc, id desc) order. */
export function newerThan(cursor: DeliveryCursor): Prisma.DeliveryWhereInput {
  return {
    createdAt: { gte: cursor.createdAt },
    OR: [{ createdAt: { gt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { gt: cursor.id } }],
  };
}

/** Prisma passes `contains` to LIKE as is: make `_` and `%` (common in usernames) literal. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
