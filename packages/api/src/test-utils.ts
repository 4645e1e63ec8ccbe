import type { Database } from "@acme/db";
import { normalizeUsername } from "@acme/validators";
import { createCaller } from "./index";
import { createContextInner } from "./trpc";

let counter = 0;

export async function createUser(db: Database, overrides: { username?: string; phoneNumber?: string | null; role?: "user" | "admin" } = {}) {
  counter += 1;
  const username = overrides.username ?? `user_${counter}_${Math.random().toString(36).slice(2, 8)}`;
  return db.user.create({
    data: {
      email: `${username.toLowerCase()}@example.test`,
      name: username,
      username,
      usernameNormalized: normalizeUsername(username),
      phoneNumber: overrides.phoneNumber ?? null,
      role: overrides.role ?? "user",
    },
  });
}

/** A caller acting as `user` (or anonymous), plus the outbox ids it handed to the relay. */
export function callerFor(db: Database, user: { id: string; email: string; username: string; role: "user" | "admin" } | null) {
  const dispatched: string[] = [];
  const caller = createCaller(
    createContextInner({
      db,
      session: user ? { sessionId: "test-session", user: { id: user.id, email: user.email, username: user.username, role: user.role } } : null,
      relay: { dispatchSoon: (ids) => dispatched.push(...[ids].flat()) },
      config: { defaultPhoneRegion: "US", vapidPublicKey: "test-key" },
      request: { ipAddress: "203.0.113.7", userAgent: "vitest" },
    }),
  );
  return { caller, dispatched };
}
