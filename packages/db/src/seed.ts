import { hashPassword } from "better-auth/crypto";
import type { Database } from "./client";

export const DEMO_USERS = [
  { email: "admin@example.com", username: "demo_admin", password: "admin-password-123", role: "admin" },
  { email: "user@example.com", username: "demo_user", password: "user-password-123", role: "user" },
] as const;

/** Creates the demo admin and demo user (with credential accounts) unless they exist. */
export async function seedDemoUsers(db: Database): Promise<void> {
  for (const demo of DEMO_USERS) {
    const existing = await db.user.findUnique({ where: { email: demo.email } });
    if (existing) continue;
    const password = await hashPassword(demo.password);
    const user = await db.user.create({
      data: {
        email: demo.email,
        emailVerified: true,
        name: demo.username,
        username: demo.username,
        usernameNormalized: demo.username.toLowerCase(),
        role: demo.role,
      },
    });
    // better-auth keys credential accounts by the user id.
    await db.account.create({ data: { userId: user.id, accountId: user.id, providerId: "credential", password } });
  }
}
