import type { Database } from "./client";
import type { AdminRoleAction, AdminRoleSource, Prisma } from "./generated/prisma/client";

/** Who asks for a role change, and from where (recorded in the audit row). */
export interface AdminRoleActor {
  source: AdminRoleSource;
  /** The signed-in admin; null from the command line. */
  userId: string | null;
  email: string | null;
  ipAddress: string | null;
  userAgent: string | null;
}

export type AdminRoleTarget = { userId: string } | { email: string };

/**
 * Records the user's notice of the change in the same transaction (the app's account event and its
 * outbox row, `recordAccountEvent` in @acme/api), so the user is told if and only if it commits.
 */
export type AdminRoleNotifier = (
  tx: Prisma.TransactionClient,
  event: { userId: string; action: AdminRoleAction; actorId: string | null },
) => Promise<{ outboxEventId: string }>;

export type AdminRoleChangeResult =
  | {
      outcome: "changed";
      action: AdminRoleAction;
      user: { id: string; email: string };
      auditId: string;
      /** The notice's outbox event, for `relay.dispatchSoon` after commit; null without a notifier. */
      outboxEventId: string | null;
    }
  | { outcome: "unchanged"; action: AdminRoleAction; user: { id: string; email: string } }
  | { outcome: "unknown-user" }
  | { outcome: "last-admin"; user: { id: string; email: string } };

// Any constant works: every role change takes this lock, so two revokes cannot both see "another admin left".
const ADMIN_ROLE_LOCK = 0x61646d6e; // "admn"

/**
 * Grants or revokes the admin role in one transaction: serialised with every other role change,
 * refuses to remove the last admin, and writes the audit row with the change.
 */
export async function changeAdminRole(
  db: Database,
  {
    target,
    action,
    actor,
    notify,
  }: { target: AdminRoleTarget; action: AdminRoleAction; actor: AdminRoleActor; notify?: AdminRoleNotifier },
): Promise<AdminRoleChangeResult> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(${ADMIN_ROLE_LOCK}::bigint)::text`;
    const user =
      "userId" in target
        ? await tx.user.findUnique({ where: { id: target.userId }, select: { id: true, email: true, role: true } })
        : await tx.user.findFirst({
            where: { email: { equals: target.email.trim(), mode: "insensitive" } },
            select: { id: true, email: true, role: true },
          });
    if (!user) return { outcome: "unknown-user" };
    const summary = { id: user.id, email: user.email };
    const role = action === "granted" ? "admin" : "user";
    if (user.role === role) return { outcome: "unchanged", action, user: summary };
    if (action === "revoked" && (await tx.user.count({ where: { role: "admin" } })) <= 1) {
      return { outcome: "last-admin", user: summary };
    }
    await tx.user.update({ where: { id: user.id }, data: { role } });
    const audit = await tx.adminRoleChange.create({
      data: {
        action,
        source: actor.source,
        targetId: user.id,
        targetEmail: user.email,
        actorId: actor.userId,
        actorEmail: actor.email,
        ipAddress: actor.ipAddress,
        userAgent: actor.userAgent,
      },
    });
    const notice = notify ? await notify(tx, { userId: user.id, action, actorId: actor.userId }) : null;
    return {
      outcome: "changed",
      action,
      user: summary,
      auditId: audit.id,
      outboxEventId: notice?.outboxEventId ?? null,
    };
  });
}
