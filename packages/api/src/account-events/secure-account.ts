import type { Prisma, ProfileChange } from "@acme/db";
import { normalizeUsername, parseAccountEventDetails, parseProfileChanges, type ProfileField } from "@acme/validators";
import { diffProfile, profileUpdateData } from "../profile/changes";
import type { RequestMeta } from "../request-meta";
import { recordAccountEvent } from "./record";

export interface SecuredAccount {
  /** The fields put back to their values before the change. */
  restoredFields: ProfileField[];
  /** The old username, when someone else has taken it since (the rest is restored). */
  usernameNotRestored: string | null;
  /** Whether the push device the event added was removed. */
  deviceRemoved: boolean;
  /** Sessions ended: browser cookies and API bearer tokens alike (both are better-auth sessions). */
  sessionsEnded: number;
  /** The revert's own outbox event, to dispatch after commit; null when nothing was restored. */
  outboxEventId: string | null;
}

/**
 * "This wasn't me", inside the caller's transaction: undo what `change` did (profile values back,
 * an added device removed), audited and notified as a revert, and end every session of the account.
 */
export async function secureAccount(
  tx: Prisma.TransactionClient,
  change: ProfileChange,
  request: RequestMeta,
): Promise<SecuredAccount> {
  const userId = change.userId;
  await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
  const current = await tx.user.findUniqueOrThrow({ where: { id: userId } });

  let restoredFields: ProfileField[] = [];
  let usernameNotRestored: string | null = null;
  let outboxEventId: string | null = null;
  if (change.kind === "profile_updated") {
    const before = parseProfileChanges(change.changes);
    let username = before.username?.from;
    if (username !== undefined) {
      const holder = await tx.user.findUnique({
        where: { usernameNormalized: normalizeUsername(username) },
        select: { id: true },
      });
      if (holder && holder.id !== userId) {
        usernameNotRestored = username;
        username = undefined;
      }
    }
    const { changedFields, changes } = diffProfile(current, {
      ...(username !== undefined && { username }),
      ...(before.phoneNumber && { phoneNumber: before.phoneNumber.from }),
    });
    restoredFields = changedFields;
    if (changedFields.length > 0) await tx.user.update({ where: { id: userId }, data: profileUpdateData(changes) });
    if (changedFields.length > 0 || usernameNotRestored) {
      ({ outboxEventId } = await recordAccountEvent(tx, {
        kind: "profile_reverted",
        userId,
        request,
        changes,
        details: { revertOf: change.id, ...(usernameNotRestored && { usernameNotRestored }) },
      }));
    }
  }

  let deviceRemoved = false;
  const { pushSubscriptionId } = parseAccountEventDetails(change.details);
  if (change.kind === "push_device_added" && pushSubscriptionId) {
    const { count } = await tx.pushSubscription.deleteMany({ where: { id: pushSubscriptionId, userId } });
    deviceRemoved = count > 0;
  }

  const { count: sessionsEnded } = await tx.session.deleteMany({ where: { userId } });
  return { restoredFields, usernameNotRestored, deviceRemoved, sessionsEnded, outboxEventId };
}
