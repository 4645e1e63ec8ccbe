import { TRPCError } from "@trpc/server";
import { forgetCachedSessions } from "@acme/auth";
import { changeAdminRole } from "@acme/db";
import type { z } from "zod";
import { adminRoleNotifier } from "../../../account-events/record";
import type { AdminContext } from "../types";
import type { setRoleInput } from "./setRole.schema";

/** Grants or revokes the admin role; the last admin is refused by the database transaction itself. */
export async function setRole({ ctx, input }: { ctx: AdminContext; input: z.output<typeof setRoleInput> }) {
  const result = await changeAdminRole(ctx.db, {
    target: { userId: input.userId },
    action: input.admin ? "granted" : "revoked",
    actor: {
      source: "admin_page",
      userId: ctx.session.user.id,
      email: ctx.session.user.email,
      ipAddress: ctx.request.ipAddress,
      userAgent: ctx.request.userAgent,
    },
    notify: adminRoleNotifier(ctx.request),
  });
  if (result.outcome === "changed") {
    // A cached bearer session carries the role: this process must not keep the old one for its TTL.
    if (ctx.auth) forgetCachedSessions(ctx.auth);
    if (result.outboxEventId) ctx.relay.dispatchSoon(result.outboxEventId);
  }
  switch (result.outcome) {
    case "unknown-user":
      throw new TRPCError({ code: "NOT_FOUND", message: "No such account" });
    case "last-admin":
      throw new TRPCError({
        code: "CONFLICT",
        message: `${result.user.email} is the last admin: grant the role to someone else first`,
      });
    default:
      return { userId: result.user.id, admin: input.admin, changed: result.outcome === "changed" };
  }
}
