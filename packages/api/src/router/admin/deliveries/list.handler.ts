import type { z } from "zod";
import type { AdminContext } from "../types";
import { deliveryWhere, newestFirst, olderThan } from "./filters";
import type { listDeliveriesInput } from "./list.schema";
import { deliveryRowSelect, toDeliveryRows } from "./rows";

/** One page of delivery history, newest first, by keyset on (createdAt, id): no count, no offset. */
export async function listDeliveries({
  ctx,
  input,
}: {
  ctx: AdminContext;
  input: z.output<typeof listDeliveriesInput>;
}) {
  const { cursor, limit, direction: _direction, ...filters } = input;
  const where = cursor ? await deliveryWhere(ctx.db, filters, olderThan(cursor)) : await deliveryWhere(ctx.db, filters);
  const records = await ctx.db.delivery.findMany({
    where,
    orderBy: newestFirst,
    take: limit + 1,
    select: deliveryRowSelect,
  });
  const page = records.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await toDeliveryRows(ctx.db, page),
    nextCursor: records.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}
