import { describe, expect, it } from "vitest";
import { createTestAuth, useTestDatabase } from "../test-utils";

const database = useTestDatabase();

const setUp = () => createTestAuth(database.db);

let counter = 0;
async function signedUp(auth: ReturnType<typeof setUp>["auth"]) {
  counter += 1;
  const email = `pw_${counter}_${Date.now()}@example.test`;
  const { token, user } = await auth.api.signUpEmail({
    body: { email, password: "old-password-1", name: `pw_${counter}`, username: `pw_${counter}_${Date.now() % 1e6}` },
  });
  return {
    email,
    userId: user.id,
    headers: new Headers({ authorization: `Bearer ${token}`, "user-agent": "vitest-ua" }),
  };
}

const kinds = async (userId: string) =>
  (await database.db.profileChange.findMany({ where: { userId }, orderBy: { createdAt: "asc" } })).map((c) => c.kind);

describe("password events through better-auth", () => {
  it("a password change (current password required) ends the other sessions and is recorded and dispatched", async () => {
    const { auth, dispatched } = setUp();
    const { userId, headers } = await signedUp(auth);
    await auth.api.signInEmail({
      body: {
        email: (await database.db.user.findUniqueOrThrow({ where: { id: userId } })).email,
        password: "old-password-1",
      },
    });
    expect(await database.db.session.count({ where: { userId } })).toBe(2);

    await expect(
      auth.api.changePassword({ body: { currentPassword: "wrong-password", newPassword: "new-password-2" }, headers }),
    ).rejects.toThrow();
    expect(await kinds(userId)).toEqual([]);

    await auth.api.changePassword({
      body: { currentPassword: "old-password-1", newPassword: "new-password-2", revokeOtherSessions: true },
      headers,
    });
    expect(await database.db.session.count({ where: { userId } })).toBe(1);
    const change = await database.db.profileChange.findFirstOrThrow({ where: { userId } });
    expect(change).toMatchObject({ kind: "password_changed", userAgent: "vitest-ua", changedFields: [] });
    const outbox = await database.db.outboxEvent.findFirstOrThrow({ where: { subjectId: change.id } });
    expect(outbox.payload).toMatchObject({ kind: "password_changed", userId });
    expect(dispatched).toEqual([outbox.id]);
  });

  it("forgot password: the request queues the reset email, the reset ends every session and is notified", async () => {
    const { auth } = setUp();
    const { email, userId } = await signedUp(auth);
    await auth.api.requestPasswordReset({ body: { email } });
    const requested = await database.db.profileChange.findFirstOrThrow({ where: { userId } });
    expect(requested.kind).toBe("password_reset_requested");
    const { resetVerificationId } = requested.details as { resetVerificationId: string };
    const verification = await database.db.verification.findUniqueOrThrow({ where: { id: resetVerificationId } });
    const token = verification.identifier.replace("reset-password:", "");

    await auth.api.resetPassword({ body: { token, newPassword: "brand-new-pass-3" } });
    expect(await database.db.session.count({ where: { userId } })).toBe(0);
    expect(await kinds(userId)).toEqual(["password_reset_requested", "password_reset"]);
    await expect(auth.api.resetPassword({ body: { token, newPassword: "again-new-pass-4" } })).rejects.toThrow();
    await expect(auth.api.signInEmail({ body: { email, password: "brand-new-pass-3" } })).resolves.toBeTruthy();
  });

  it("an unknown address records nothing and says the same", async () => {
    const { auth } = setUp();
    const before = await database.db.profileChange.count();
    const answer = await auth.api.requestPasswordReset({ body: { email: "nobody@example.test" } });
    expect(answer.status).toBe(true);
    expect(await database.db.profileChange.count()).toBe(before);
  });
});
