import type { z } from "zod";
import type { AdminContext } from "../types";
import { deliveryWhere, newerThan, newestFirst } from "./filters";
import { deliveryRowSelect, toDeliveryRows } from "./rows";
import type { deliveryUpdatesInput } from "./updates.schema";

export const MAX_FRESH_ROWS = 50;
/** Writes committed just after a poll may carry an earlier `updatedAt`: look back this far. */
const UPDATE_OVERLAP_MS = 10_000;

/**
 * The live view's poll: rows newer than the newest shown (same filters) and watched rows that
 * changed since the last poll. Both are index lookups, so polling every few seconds stays cheap.
 */
export async function deliveryUpdates({
  ctx,
  input,
}: {
  ctx: AdminContext;
  input: z.output<typeof deliveryUpdatesInput>;
}) {
  const { newerThan: newest, watch, updatedSince, ...filters } = input;
  const pollAt = new Date(Date.now() - UPDATE_OVERLAP_MS);
  const [fresh, updated] = await Promise.all([
    ctx.db.delivery.findMany({
      where: newest ? await deliveryWhere(ctx.db, filters, newerThan(newest)) : await deliveryWhere(ctx.db, filters),
      orderBy: newestFirst,
      take: MAX_FRESH_ROWS + 1,
      select: deliveryRowSelect,
    }),
    watch.length === 0
      ? []
      : ctx.db.delivery.findMany({
          where: { id: { in: watch }, ...(updatedSince && { updatedAt: { gt: updatedSince } }) },
          orderBy: newestFirst,
          select: deliveryRowSelect,
        }),
  ]);
  const rows = await toDeliveryRows(ctx.db, [...fresh.slice(0, MAX_FRESH_ROWS), ...updated]);
  return {
    fresh: rows.slice(0, Math.min(fresh.length, MAX_FRESH_ROWS)),
    /** More new rows than one poll carries: the client should reload the first page instead. */
    freshOverflow: fresh.length > MAX_FRESH_ROWS,
    updated: rows.slice(Math.min(fresh.length, MAX_FRESH_ROWS)),
    pollAt,
  };
}
