import type { TRPCRouterRecord } from "@trpc/server";
import { adminProcedure } from "../../trpc";

// Admin-only procedures: delivery history, details, retries, mailbox.
export const adminRouter = {
  ping: adminProcedure.query(() => ({ ok: true as const })),
} satisfies TRPCRouterRecord;
