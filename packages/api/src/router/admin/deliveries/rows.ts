import type { Database, Prisma } from "@acme/db";
import { maskEmail } from "../presenters";
import { deliveryViewSelect, loadDeliveryFacts, toDeliveryView } from "./view";

/** What a history row needs, and nothing more (no content: that can be large). */
export const deliveryRowSelect = {
  ...deliveryViewSelect,
  user: { select: { id: true, email: true, username: true } },
  profileChange: { select: { id: true, kind: true, changedFields: true, createdAt: true, reportedAt: true } },
} satisfies Prisma.DeliverySelect;

type DeliveryRowRecord = Prisma.DeliveryGetPayload<{ select: typeof deliveryRowSelect }>;

/** History rows: the delivery view plus whose it is (email masked like the target) and its change. */
export async function toDeliveryRows(db: Database, records: DeliveryRowRecord[]) {
  const facts = await loadDeliveryFacts(db, records);
  return records.map((record) => ({
    ...toDeliveryView(record, facts),
    user: { id: record.user.id, username: record.user.username, email: maskEmail(record.user.email) },
    change: record.profileChange,
  }));
}

export type DeliveryRow = Awaited<ReturnType<typeof toDeliveryRows>>[number];
