import { describeAccountEvent, parseAccountEventDetails, parseProfileChanges } from "@acme/validators";
import type { z } from "zod";
import type { Context } from "../../trpc";
import type { activityInput } from "./activity.schema";

type Ctx = Context & { session: NonNullable<Context["session"]> };

/** The signed-in user's recent account events (profile changes, password, devices, role), newest first. */
export async function listProfileActivity({ ctx, input }: { ctx: Ctx; input: z.output<typeof activityInput> }) {
  const rows = await ctx.db.profileChange.findMany({
    where: { userId: ctx.session.user.id },
    orderBy: { createdAt: "desc" },
    take: input.limit,
  });
  return rows.map((row) => {
    const changes = parseProfileChanges(row.changes);
    return {
      id: row.id,
      kind: row.kind,
      title: describeAccountEvent(row.kind, changes, parseAccountEventDetails(row.details)).title,
      changedFields: row.changedFields,
      changes,
      ipAddress: row.ipAddress,
      userAgent: row.userAgent,
      createdAt: row.createdAt,
      reportedAt: row.reportedAt,
    };
  });
}
