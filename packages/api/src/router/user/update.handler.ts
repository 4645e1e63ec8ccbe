import { TRPCError } from "@trpc/server";
import { Prisma, type Database, type User } from "@acme/db";
import type { ProfileField } from "@acme/validators";
import type { z } from "zod";
import { accountEventRows } from "../../account-events/record";
import { diffProfile, profileUpdateData, type ProfileValues } from "../../profile/changes";
import { toPublicUser } from "../../profile/public-user";
import { FieldError, type Context } from "../../trpc";
import { readUpdateValues, type updateInput } from "./update.schema";

type Ctx = Context & { session: NonNullable<Context["session"]> };

/** Guarded tries before the update waits for the row's lock instead (only while someone else keeps changing it). */
const UNLOCKED_TRIES = 3;

export async function updateProfile({ ctx, input }: { ctx: Ctx; input: z.output<typeof updateInput> }) {
  const userId = ctx.session.user.id;
  const values = readUpdateValues(input, ctx.config.defaultPhoneRegion);
  const attempt = (db: Database | Prisma.TransactionClient, lock: boolean) =>
    tryUpdate(db, { userId, values, request: ctx.request, lock });
  try {
    let result: UpdateOutcome | null = null;
    for (let i = 0; i < UNLOCKED_TRIES && !result; i++) result = await attempt(ctx.db, false);
    // Still contended: read under the row's lock, so nothing can move it between the diff and the write.
    result ??= await ctx.db.$transaction((tx) => attempt(tx, true));
    if (!result) throw new Error("A locked profile update found its row changed");

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

interface UpdateOutcome {
  user: User;
  changedFields: ProfileField[];
  outboxEventId: string | null;
}

/**
 * Reads the user, diffs, and writes the changed fields, the audit row and the outbox event in one
 * statement (no interactive transaction: one round trip for the write, one commit), guarded by the
 * values the diff was made against. Null when another update moved them in between: the caller
 * reads again, so every change's "from" is the value it really replaced.
 */
async function tryUpdate(
  db: Database | Prisma.TransactionClient,
  {
    userId,
    values,
    request,
    lock,
  }: { userId: string; values: Partial<ProfileValues>; request: Ctx["request"]; lock: boolean },
): Promise<UpdateOutcome | null> {
  const [current] = lock
    ? await db.$queryRaw<User[]>`SELECT * FROM "User" WHERE id = ${userId} FOR UPDATE`
    : await db.$queryRaw<User[]>`SELECT * FROM "User" WHERE id = ${userId}`;
  if (!current) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account no longer exists" });

  const { changedFields, changes } = diffProfile(current, values);
  if (changedFields.length === 0) return { user: current, changedFields, outboxEventId: null };

  const event = accountEventRows({ kind: "profile_updated", userId, request, changes });
  const assignments = Object.entries(profileUpdateData(changes)).map(
    ([column, value]) => Prisma.sql`${Prisma.raw(`"${column}"`)} = ${value}::text`,
  );
  const [user] = await db.$queryRaw<User[]>`
    WITH updated AS (
      UPDATE "User" SET ${Prisma.join(assignments)}, "updatedAt" = now()
      WHERE id = ${userId} AND username = ${current.username}
        AND "phoneNumber" IS NOT DISTINCT FROM ${current.phoneNumber}::text
      RETURNING *
    ),
    ${event.insert(Prisma.sql`WHERE EXISTS (SELECT 1 FROM updated)`)}
    SELECT * FROM updated`;
  if (!user) return null;
  return { user, changedFields, outboxEventId: event.outboxEventId };
}

/**
 * A unique-constraint violation on `field`, however Prisma reports it: P2002 from a model query,
 * P2010 carrying the driver adapter's `UniqueConstraintViolation` (and the index name) from a raw one.
 */
export function isUniqueViolation(error: unknown, field: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const meta = JSON.stringify(error.meta ?? {});
  const unique = error.code === "P2002" || (error.code === "P2010" && meta.includes('"UniqueConstraintViolation"'));
  return unique && meta.includes(field);
}
