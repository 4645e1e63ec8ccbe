import { TRPCError } from "@trpc/server";
import { Prisma, type User } from "@acme/db";
import type { z } from "zod";
import { recordAccountEvent } from "../../account-events/record";
import { diffProfile, profileUpdateData } from "../../profile/changes";
import { toPublicUser } from "../../profile/public-user";
import { FieldError, type Context } from "../../trpc";
import { readUpdateValues, type updateInput } from "./update.schema";

type Ctx = Context & { session: NonNullable<Context["session"]> };

export async function updateProfile({ ctx, input }: { ctx: Ctx; input: z.output<typeof updateInput> }) {
  const userId = ctx.session.user.id;
  const values = readUpdateValues(input, ctx.config.defaultPhoneRegion);
  try {
    const result = await ctx.db.$transaction(async (tx) => {
      // Lock the row so concurrent updates of the same user diff against committed values; the
      // locking read is the read (no second query for the same row).
      const [current] = await tx.$queryRaw<User[]>`SELECT * FROM "User" WHERE id = ${userId} FOR UPDATE`;
      if (!current) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account no longer exists" });

      const { changedFields, changes } = diffProfile(current, values);
      if (changedFields.length === 0) return { user: current, changedFields, outboxEventId: null };

      const user = await tx.user.update({ where: { id: userId }, data: profileUpdateData(changes) });
      const { outboxEventId } = await recordAccountEvent(tx, {
        kind: "profile_updated",
        userId,
        request: ctx.request,
        changes,
      });
      return { user, changedFields, outboxEventId };
    });

    // After commit: hand off to the relay; the sweep covers a crash before this runs.
    if (result.outboxEventId) ctx.relay.dispatchSoon(result.outboxEventId);
    return { user: toPublicUser(result.user), changed: result.changedFields };
  } catch (error) {
    if (isUniqueViolation(error, "usernameNormalized")) {
      throw new TRPCError({
        code: "CONFLICT",
        message: "That username is already taken",
        cause: new FieldError("username", "That username is already taken"),
      });
    }
    throw error;
  }
}

/** A unique-constraint violation on `field`, however the driver adapter reports it. */
export function isUniqueViolation(error: unknown, field: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return false;
  return JSON.stringify(error.meta ?? {}).includes(field);
}
