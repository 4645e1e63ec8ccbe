import type { TRPCRouterRecord } from "@trpc/server";
import { adminProcedure } from "../../trpc";
import { getChange } from "./changes/get.handler";
import { getChangeInput } from "./changes/get.schema";
import { getDelivery } from "./deliveries/get.handler";
import { getDeliveryInput } from "./deliveries/get.schema";
import { listDeliveries } from "./deliveries/list.handler";
import { listDeliveriesInput } from "./deliveries/list.schema";
import { retryDelivery } from "./deliveries/retry.handler";
import { retryDeliveryInput } from "./deliveries/retry.schema";
import { retryMatchingDeliveries } from "./deliveries/retryMatching.handler";
import { retryMatchingInput } from "./deliveries/retryMatching.schema";
import { deliveryUpdates } from "./deliveries/updates.handler";
import { deliveryUpdatesInput } from "./deliveries/updates.schema";
import { getMailboxEmail } from "./mailbox/get.handler";
import { getMailboxEmailInput } from "./mailbox/get.schema";
import { listMailbox } from "./mailbox/list.handler";
import { listMailboxInput } from "./mailbox/list.schema";
import { previewRetryMatching } from "./deliveries/retryPreview.handler";
import { getRun } from "./runs/get.handler";
import { getRunInput } from "./runs/get.schema";
import { deliverySummary } from "./summary.handler";
import { listRoleAudit } from "./users/audit.handler";
import { listUsers } from "./users/list.handler";
import { listUsersInput } from "./users/list.schema";
import { setRole } from "./users/setRole.handler";
import { setRoleInput } from "./users/setRole.schema";

// Admin-only procedures: delivery history, details, retries, runs, mailbox, who is an admin.
export const adminRouter = {
  ping: adminProcedure.query(() => ({ ok: true as const })),
  summary: adminProcedure.query(deliverySummary),
  deliveries: {
    list: adminProcedure.input(listDeliveriesInput).query(listDeliveries),
    updates: adminProcedure.input(deliveryUpdatesInput).query(deliveryUpdates),
    get: adminProcedure.input(getDeliveryInput).query(getDelivery),
    retry: adminProcedure.input(retryDeliveryInput).mutation(retryDelivery),
    retryMatching: adminProcedure.input(retryMatchingInput).mutation(retryMatchingDeliveries),
    retryPreview: adminProcedure.input(retryMatchingInput).query(previewRetryMatching),
  },
  runs: {
    get: adminProcedure.input(getRunInput).query(getRun),
  },
  changes: {
    get: adminProcedure.input(getChangeInput).query(getChange),
  },
  mailbox: {
    list: adminProcedure.input(listMailboxInput).query(listMailbox),
    get: adminProcedure.input(getMailboxEmailInput).query(getMailboxEmail),
  },
  users: {
    list: adminProcedure.input(listUsersInput).query(listUsers),
    setRole: adminProcedure.input(setRoleInput).mutation(setRole),
    audit: adminProcedure.query(listRoleAudit),
  },
} satisfies TRPCRouterRecord;
