import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { createAuth } from "./index";
import { CLIENT_ADDRESS_HEADER } from "./ip";

let database: TestDatabase;
let auth: ReturnType<typeof createAuth>;
const baseURL = "http://localhost:3999";
const password = "the-right-password-1";

beforeAll(async () => {
  database = await createTestDatabase();
  auth = createAuth({
    db: database.db,
    baseURL,
    secret: "throttle-test-secret-throttle-test-secret",
    signInThrottle: { freeFailures: 3, accountCeiling: 6 },
  });
}, 60_000);
afterAll(async () => {
  await database?.destroy();
});

let seq = 0;
async function account() {
  seq += 1;
  const email = `owner${seq}@example.test`;
  await auth.api.signUpEmail({ body: { email, password, name: `owner_${seq}`, username: `owner_${seq}` } });
  return email;
}

function signIn(email: string, from: string, attempt = password) {
  return auth.handler(
    new Request(`${baseURL}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseURL, [CLIENT_ADDRESS_HEADER]: from },
      body: JSON.stringify({ email, password: attempt }),
    }),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Every try hashes a password (scrypt): seconds per test on a busy machine.
describe("sign-in throttling", { timeout: 30_000 }, () => {
  it("makes an address wait after repeated failures, doubling, and lets the right password in after the wait", async () => {
    const email = await account();
    for (let i = 0; i < 3; i += 1) expect((await signIn(email, "198.51.100.1", "wrong")).status).toBe(401);
    const refused = await signIn(email, "198.51.100.1");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    await sleep(1_100);
    expect((await signIn(email, "198.51.100.1", "wrong")).status).toBe(401);
    // Four failures now: two seconds.
    expect((await signIn(email, "198.51.100.1")).headers.get("retry-after")).toBe("2");
    await sleep(2_100);
    expect((await signIn(email, "198.51.100.1")).status).toBe(200);
  });

  it("does not lock the owner out from another address", async () => {
    const email = await account();
    for (let i = 0; i < 5; i += 1) await signIn(email, "203.0.113.9", "wrong");
    expect((await signIn(email, "203.0.113.9")).status).toBe(429);
    expect((await signIn(email, "198.51.100.2")).status).toBe(200);
  });

  it("past the account-wide ceiling, unfamiliar addresses share a slow lane; the owner's usual address does not", async () => {
    const email = await account();
    expect((await signIn(email, "192.0.2.50")).status).toBe(200);
    // Guesses spread over many addresses, each below the per-address threshold.
    for (let i = 0; i < 6; i += 1) expect((await signIn(email, `192.0.2.${i + 1}`, "wrong")).status).toBe(401);
    expect((await signIn(email, "192.0.2.20", "wrong")).status).toBe(401);
    const slowed = await signIn(email, "192.0.2.21", "wrong");
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await signIn(email, "192.0.2.50")).status).toBe(200);
  });

  it("answers an unknown address exactly like a wrong password", async () => {
    const email = await account();
    const wrong = await signIn(email, "198.51.100.3", "wrong");
    const unknown = await signIn(`nobody${seq}@example.test`, "198.51.100.3", "wrong");
    expect([unknown.status, await unknown.json()]).toEqual([wrong.status, await wrong.json()]);
  });
});
