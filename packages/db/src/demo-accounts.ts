import { verifyPassword } from "better-auth/crypto";
import type { Database } from "./client";
import { DEMO_USERS } from "./seed";

export interface DemoAccount {
  id: string;
  email: string;
  role: "user" | "admin";
}

/** Demo users (seeded by `pnpm dev`) whose password is still the one printed in the README. */
export async function findPublishedDemoAccounts(db: Database): Promise<DemoAccount[]> {
  const users = await db.user.findMany({
    where: { email: { in: DEMO_USERS.map((demo) => demo.email) } },
    select: { id: true, email: true, role: true, accounts: { where: { providerId: "credential" } } },
  });
  const published: DemoAccount[] = [];
  for (const user of users) {
    const demo = DEMO_USERS.find((d) => d.email === user.email);
    const hash = user.accounts[0]?.password;
    // A demo address whose password was changed is an ordinary account now.
    if (demo && hash && (await verifyPassword({ hash, password: demo.password }))) {
      published.push({ id: user.id, email: user.email, role: user.role });
    }
  }
  return published;
}

/** Deletes the demo users that still have their published passwords; returns who was removed. */
export async function removePublishedDemoAccounts(db: Database): Promise<DemoAccount[]> {
  const published = await findPublishedDemoAccounts(db);
  if (published.length > 0) await db.user.deleteMany({ where: { id: { in: published.map((a) => a.id) } } });
  return published;
}
