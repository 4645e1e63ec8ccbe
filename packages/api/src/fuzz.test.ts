import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callerFor, createUser, useTestDatabase } from "./test-utils";

// Property tests: whatever a client sends, the answer is never a server error, and an input that
// is refused changes nothing.
const database = useTestDatabase({ reset: false });

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("\u0000", "a\u0000b", "+1 415 555 0123\u0000", "__proto__", "ab", "x".repeat(40), " ", "\u202e"),
  fc.constantFrom("https://127.0.0.1/x", "https://[::1]/p", "http://fcm.googleapis.com/x", "javascript:alert(1)"),
);
const value = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 3 }),
);
const key = fc.constantFrom(
  "username",
  "phoneNumber",
  "endpoint",
  "keys",
  "userId",
  "role",
  "constructor",
  "expirationTime",
);
const input = fc.oneof(
  value,
  fc.dictionary(key, value, { maxKeys: 4 }),
  fc.record({ username: nasty }, { requiredKeys: [] }),
  fc.record({ phoneNumber: fc.oneof(nasty, fc.constant(null)) }, { requiredKeys: [] }),
  fc.record(
    { endpoint: nasty, keys: fc.dictionary(fc.constantFrom("p256dh", "auth", "x"), nasty) },
    { requiredKeys: [] },
  ),
);

async function outcome(call: () => Promise<unknown>): Promise<"ok" | number> {
  try {
    await call();
    return "ok";
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return getHTTPStatusCodeFromError(error);
  }
}

async function snapshot(userId: string) {
  const [user, changes, outbox, devices] = await Promise.all([
    database.db.user.findUniqueOrThrow({ where: { id: userId } }),
    database.db.profileChange.count({ where: { userId } }),
    database.db.outboxEvent.count(),
    database.db.pushSubscription.count({ where: { userId } }),
  ]);
  return {
    username: user.username,
    phoneNumber: user.phoneNumber,
    updatedAt: user.updatedAt,
    changes,
    outbox,
    devices,
  };
}

describe("fuzzing the write procedures", { timeout: 180_000 }, () => {
  it.each(["user.update", "push.subscribe"] as const)(
    "%s: never a 5xx, and a refused input writes nothing",
    async (path) => {
      const user = await createUser(database.db);
      const { caller } = callerFor(database.db, user);
      const call = (raw: unknown) => () =>
        path === "user.update" ? caller.user.update(raw as never) : caller.push.subscribe(raw as never);
      await fc.assert(
        fc.asyncProperty(input, async (raw) => {
          const before = await snapshot(user.id);
          const result = await outcome(call(raw));
          if (result === "ok") return;
          expect(result).toBeGreaterThanOrEqual(400);
          expect(result).toBeLessThan(500);
          expect(await snapshot(user.id)).toEqual(before);
        }),
        { numRuns: 150 },
      );
    },
  );
});
