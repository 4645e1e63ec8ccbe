import type { z } from "zod";
import type { AdminContext } from "../types";
import type { listUsersInput } from "./list.schema";

const PAGE = 25;

/** Accounts matching the search, admins first, plus how many admins there are (the last one cannot be revoked). */
export async function listUsers({ ctx, input }: { ctx: AdminContext; input: z.output<typeof listUsersInput> }) {
  const where = input.query
    ? {
        OR: [
          { email: { contains: input.query, mode: "insensitive" as const } },
          { username: { contains: input.query, mode: "insensitive" as const } },
        ],
      }
    : {};
  const [users, adminCount] = await Promise.all([
    ctx.db.user.findMany({
      where,
      select: { id: true, email: true, username: true, role: true, createdAt: true },
      orderBy: [{ role: "desc" }, { createdAt: "desc" }, { id: "desc" }],
      take: PAGE + 1,
    }),
    ctx.db.user.count({ where: { role: "admin" } }),
  ]);
  return { users: users.slice(0, PAGE), more: users.length > PAGE, adminCount, viewerId: ctx.session.user.id };
}
