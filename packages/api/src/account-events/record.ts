import { newRowId, Prisma, type AdminRoleNotifier } from "@acme/db";
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
  const rows = accountEventRows(event);
  // Both rows in one statement: one round trip inside the caller's transaction.
  await tx.$executeRaw`WITH ${rows.insert(Prisma.empty)} SELECT 1`;
  return { changeId: rows.changeId, outboxEventId: rows.outboxEventId };
}

/**
 * The audit row and its outbox event as the `change` and `outbox` CTEs of a caller's statement,
 * inserted only when `condition` (a WHERE clause, or empty) holds: a profile update writes the user
 * and both rows in one statement, and none of them when its guard fails.
 */
export function accountEventRows(event: AccountEvent) {
  const changes = event.changes ?? {};
  const changedFields = Object.keys(changes) as ProfileField[];
  const changeId = newRowId();
  const outboxEventId = newRowId();
  const payload: ProfileUpdatedEventData = { changeId, userId: event.userId, kind: event.kind, changedFields };
  const insert = (condition: Prisma.Sql) => Prisma.sql`
    change AS (
      INSERT INTO "ProfileChange" (id, kind, "userId", "actorId", "changedFields", changes, details, "ipAddress", "userAgent")
      SELECT ${changeId}, ${event.kind}::"AccountEventKind", ${event.userId}, ${event.actorId ?? event.userId},
             ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(changedFields)}::jsonb)),
             ${JSON.stringify(changes)}::jsonb, ${event.details ? JSON.stringify(event.details) : null}::jsonb,
             ${event.request?.ipAddress ?? null}::text, ${event.request?.userAgent ?? null}::text
      ${condition}
      RETURNING id
    ),
    outbox AS (
      INSERT INTO "OutboxEvent" (id, name, payload, "subjectId")
      SELECT ${outboxEventId}, ${profileUpdatedEventName}, ${JSON.stringify(payload)}::jsonb, change.id FROM change
    )`;
  return { changeId, outboxEventId, insert };
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
