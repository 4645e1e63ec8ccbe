import { parseProfileChanges } from "@acme/validators";
import type { z } from "zod";
import type { Context } from "../../trpc";
import type { activityInput } from "./activity.schema";

type Ctx = Context & { session: NonNullable<Context["session"]> };

/** The signed-in user's recent profile changes, newest first. */
export async function listProfileActivity({ ctx, input }: { ctx: Ctx; input: z.output<typeof activityInput> }) {
  const rows = await ctx.db.profileChange.findMany({
    where: { userId: ctx.session.user.id },
    orderBy: { createdAt: "desc" },
    take: input.limit,
  });
  return rows.map((row) => ({
    id: row.id,
    changedFields: row.changedFields,
    changes: parseProfileChanges(row.changes),
    ipAddress: row.ipAddress,
    userAgent: row.userAgent,
    createdAt: row.createdAt,
  }));
}
