import type { AdminContext } from "../types";

/** The latest admin role grants and revokes, newest first. */
export async function listRoleAudit({ ctx }: { ctx: AdminContext }) {
  return ctx.db.adminRoleChange.findMany({
    select: {
      id: true,
      action: true,
      source: true,
      targetEmail: true,
      actorEmail: true,
      ipAddress: true,
      createdAt: true,
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 50,
  });
}
