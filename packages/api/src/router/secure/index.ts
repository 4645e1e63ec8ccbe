import type { TRPCRouterRecord } from "@trpc/server";
import { confirmSecureLink } from "./confirm.handler";
import { secureLinkProcedure } from "./procedure";
import { reportSecureLink } from "./report.handler";
import { viewSecureLink } from "./view.handler";

// Mutations, even for reading: the token travels in a POST body, never in a query string.
export const secureLinkRouter = {
  view: secureLinkProcedure.mutation(viewSecureLink),
  confirm: secureLinkProcedure.mutation(confirmSecureLink),
  report: secureLinkProcedure.mutation(reportSecureLink),
} satisfies TRPCRouterRecord;
