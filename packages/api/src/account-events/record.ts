import type { AdminRoleNotifier, Prisma } from "@acme/db";
import {
  profileUpdatedEventName,
  type AccountEventDetails,
  type AccountEventKind,
  type ProfileChanges,
  type ProfileField,
  type ProfileUpdatedEventData,
} from "@acme/validators";
import type { RequestMeta } from "../trpc";

export interface AccountEvent {
  kind: AccountEventKind;
  /** Whose account it is: the user who is notified. */
  userId: string;
  /** Who did it (an admin for a role change); the user themselves when omitted. */
  actorId?: string;
  /** Where it came from (shown to the user as device and IP); null when not from a request. */
  request?: RequestMeta | null;
  /** Profile kinds only: `{ field: { from, to } }` for exactly the changed fields. */
  changes?: ProfileChanges;
  details?: AccountEventDetails;
}

export interface RecordedAccountEvent {
  changeId: string;
  /** Hand it to `relay.dispatchSoon` after the transaction commits (the sweep covers a crash before). */
  outboxEventId: string;
}

/**
 * Records a security-relevant account event in the caller's transaction: the audit row (a
 * ProfileChange of that kind) and its outbox event, so the notification is sent if and only if the
 * transaction commits, by the same durable path as a profile change (email + push per device, admin
 * history, "Recent security activity").
 */
export async function recordAccountEvent(
  tx: Prisma.TransactionClient,
  event: AccountEvent,
): Promise<RecordedAccountEvent> {
  const changes = event.changes ?? {};
  const changedFields = Object.keys(changes) as ProfileField[];
  const change = await tx.profileChange.create({
    data: {
      kind: event.kind,
      userId: event.userId,
      actorId: event.actorId ?? event.userId,
      changedFields,
      changes,
      ...(event.details && { details: event.details }),
      ipAddress: event.request?.ipAddress ?? null,
      userAgent: event.request?.userAgent ?? null,
    },
    select: { id: true },
  });
  const payload: ProfileUpdatedEventData = {
    changeId: change.id,
    userId: event.userId,
    kind: event.kind,
    changedFields,
  };
  const outbox = await tx.outboxEvent.create({
    data: { name: profileUpdatedEventName, subjectId: change.id, payload },
    select: { id: true },
  });
  return { changeId: change.id, outboxEventId: outbox.id };
}

/**
 * The notice of an admin role grant or revoke, for `changeAdminRole`: `request` is where the change
 * came from (the admin's request; null from the command line).
 */
export function adminRoleNotifier(request: RequestMeta | null): AdminRoleNotifier {
  return (tx, { userId, action, actorId }) =>
    recordAccountEvent(tx, {
      kind: action === "granted" ? "admin_granted" : "admin_revoked",
      userId,
      ...(actorId && { actorId, details: { byUserId: actorId } }),
      request,
    });
}
