import type { DeliveryStatus } from "@acme/db";
import { DELIVERY_STATUSES } from "@acme/validators";
import type { AdminContext } from "./types";

const HOUR_MS = 60 * 60_000;

type StatusCounts = Record<DeliveryStatus, number> & { total: number };

/** Deliveries per status created in the last hour and the last day (read from the createdAt index). */
export async function deliverySummary({ ctx }: { ctx: AdminContext }) {
  const now = new Date();
  const [lastHour, lastDay] = await Promise.all([
    countByStatus(ctx, new Date(now.getTime() - HOUR_MS)),
    countByStatus(ctx, new Date(now.getTime() - 24 * HOUR_MS)),
  ]);
  return { lastHour, lastDay, generatedAt: now };
}

async function countByStatus(ctx: AdminContext, since: Date): Promise<StatusCounts> {
  const groups = await ctx.db.delivery.groupBy({
    by: ["status"],
    where: { createdAt: { gte: since } },
    _count: { _all: true },
  });
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0])) as StatusCounts;
  counts.total = 0;
  for (const group of groups) {
    counts[group.status] = group._count._all;
    counts.total += group._count._all;
  }
  return counts;
}
