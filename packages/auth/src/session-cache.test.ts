import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { createAuth, getSessionFromHeaders } from "./index";
import { SessionCache } from "./session-cache";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 2 });
});
afterAll(async () => {
  await database?.destroy();
});

async function bearerFor(auth: ReturnType<typeof createAuth>, email: string) {
  const password = "a-good-password-1";
  const username = email.split("@")[0]!;
  await auth.api.signUpEmail({ body: { email, password, name: username, username } });
  const signIn = await auth.api.signInEmail({ body: { email, password }, returnHeaders: true });
  return new Headers({ authorization: `Bearer ${signIn.headers.get("set-auth-token")}` });
}

const options = () => ({ db: database.db, baseURL: "http://127.0.0.1:3000", secret: "s".repeat(40) });

describe("the bearer session cache", () => {
  it("reuses a bearer session for the TTL, so a session deleted elsewhere lasts at most that long", async () => {
    const auth = createAuth({ ...options(), sessionCacheTtlMs: 60_000 });
    const headers = await bearerFor(auth, "cached@example.com");
    const first = await getSessionFromHeaders(auth, headers);
    expect(first?.user.email).toBe("cached@example.com");
    // Deleted behind better-auth's back (another process): this process still has it cached.
    await database.db.session.deleteMany({ where: { userId: first!.user.id } });
    expect(await getSessionFromHeaders(auth, headers)).toEqual(first);
  });

  it("forgets every cached session when one is ended through better-auth (sign-out)", async () => {
    const auth = createAuth({ ...options(), sessionCacheTtlMs: 60_000 });
    const headers = await bearerFor(auth, "signout@example.com");
    expect(await getSessionFromHeaders(auth, headers)).not.toBeNull();
    await auth.api.signOut({ headers });
    expect(await getSessionFromHeaders(auth, headers)).toBeNull();
  });

  it("looks every request up when the TTL is 0", async () => {
    const auth = createAuth({ ...options(), sessionCacheTtlMs: 0 });
    const headers = await bearerFor(auth, "uncached@example.com");
    const session = await getSessionFromHeaders(auth, headers);
    await database.db.session.deleteMany({ where: { userId: session!.user.id } });
    expect(await getSessionFromHeaders(auth, headers)).toBeNull();
  });

  it("keeps an entry until the TTL or the session's own expiry, whichever is first", () => {
    const cache = new SessionCache(5_000);
    const session = { sessionId: "s", user: { id: "u", email: "e", username: "n", role: "user" as const } };
    cache.set("a", session, new Date(1_000_000 + 60_000), 1_000_000);
    cache.set("b", session, new Date(1_000_000 + 2_000), 1_000_000);
    expect(cache.get("a", 1_004_999)).toBe(session);
    expect(cache.get("a", 1_005_000)).toBeUndefined();
    expect(cache.get("b", 1_001_999)).toBe(session);
    expect(cache.get("b", 1_002_000)).toBeUndefined();
  });
});
