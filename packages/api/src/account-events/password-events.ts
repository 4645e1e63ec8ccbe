import type { PasswordEventHooks } from "@acme/auth";
import type { Database } from "@acme/db";
import type { OutboxRelay } from "../outbox/relay";
import { requestMetaFromHeaders } from "../request-meta";
import { recordAccountEvent, type AccountEvent } from "./record";

/**
 * better-auth's password events as account events: each one a row + outbox event in its own
 * transaction, then handed to the relay. The reset email itself is such a notification: the job
 * renders the link from better-auth's Verification row, so the token is never copied anywhere.
 */
export function createPasswordEventHooks(db: Database, relay: Pick<OutboxRelay, "dispatchSoon">): PasswordEventHooks {
  const record = async (event: AccountEvent) => {
    const { outboxEventId } = await db.$transaction((tx) => recordAccountEvent(tx, event));
    relay.dispatchSoon(outboxEventId);
  };
  const request = (headers: Headers | null) => (headers ? requestMetaFromHeaders(headers) : null);
  return {
    async resetRequested({ userId, token, headers }) {
      const verification = await db.verification.findFirst({
        where: { identifier: `reset-password:${token}` },
        select: { id: true },
      });
      if (!verification) throw new Error("The reset token better-auth just created is not stored");
      await record({
        kind: "password_reset_requested",
        userId,
        request: request(headers),
        details: { resetVerificationId: verification.id },
      });
    },
    reset: ({ userId, headers }) => record({ kind: "password_reset", userId, request: request(headers) }),
    changed: ({ userId, headers }) => record({ kind: "password_changed", userId, request: request(headers) }),
  };
}
