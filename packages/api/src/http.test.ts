import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth } from "@acme/auth";
import { createNodeApiHandler } from "./node-handler";
import { testApiConfig, useTestDatabase } from "./test-utils";

// The API on a real HTTP server, as our front mounts it: limits, batch and body bounds, and the
// client address, seen the way clients see them.
const database = useTestDatabase({ reset: false });
let server: Server;
let apiUrl: string;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = createAuth({ db: database.db, baseURL: apiUrl, secret: "http-test-secret-http-test-secret-123456" });
  const security = {
    ...testApiConfig.security,
    rateLimits: { ...testApiConfig.security.rateLimits, userUpdate: { max: 3, windowSeconds: 60 } },
    api: { ...testApiConfig.security.api, maxBatch: 4, maxBodyBytes: 4096 },
  };
  server.on(
    "request",
    createNodeApiHandler({
      auth,
      db: database.db,
      relay: { dispatchSoon: () => {} },
      config: { ...testApiConfig, security },
    }),
  );
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let seq = 0;
async function signUp() {
  seq += 1;
  const res = await fetch(`${apiUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: apiUrl },
    body: JSON.stringify({
      email: `http${seq}@example.test`,
      password: "a-good-password-1",
      name: `http_${seq}`,
      username: `http_${seq}`,
    }),
  });
  const token = res.headers.get("set-auth-token");
  const { user } = (await res.json()) as { user: { id: string } };
  return { token: token!, userId: user.id };
}

function update(token: string, username: string, headers: Record<string, string> = {}) {
  return fetch(`${apiUrl}/api/trpc/user.update`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ json: { username } }),
  });
}

describe("the API over HTTP", () => {
  it("answers 429 with Retry-After past the per-user limit, without writing, and leaves other users alone", async () => {
    const person = await signUp();
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await update(person.token, `limited_${seq}_${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await update(person.token, `limited_${seq}_x`);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(50);
    const body = (await refused.json()) as {
      error: { json: { message: string; data: { code: string; retryAfterSeconds: number } } };
    };
    expect(body.error.json.data.code).toBe("TOO_MANY_REQUESTS");
    expect(body.error.json.data.retryAfterSeconds).toBeGreaterThan(50);
    expect(body.error.json.message).toMatch(/please wait \d+ s/);
    expect(await database.db.profileChange.count({ where: { userId: person.userId } })).toBe(3);

    const other = await signUp();
    expect((await update(other.token, `other_${seq}`)).status).toBe(200);
  });

  it("refuses a batch over the limit with 400 before running any of it", async () => {
    const person = await signUp();
    const names = Array.from({ length: 5 }, (_, i) => `batch_${seq}_${i}`);
    const input = Object.fromEntries(names.map((username, i) => [i, { json: { username } }]));
    const res = await fetch(`${apiUrl}/api/trpc/${names.map(() => "user.update").join(",")}?batch=1`, {
      method: "POST",
      headers: { authorization: `Bearer ${person.token}`, "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/batch/i);
    expect(await database.db.profileChange.count({ where: { userId: person.userId } })).toBe(0);
  });

  it("refuses a body over the limit", async () => {
    const person = await signUp();
    const res = await update(person.token, "x".repeat(10_000));
    expect(res.status).toBe(413);
    expect(await database.db.profileChange.count({ where: { userId: person.userId } })).toBe(0);
  });

  it("records the socket's address, not what X-Forwarded-For claims", async () => {
    const person = await signUp();
    expect(
      (
        await update(person.token, `addr_${seq}`, {
          "x-forwarded-for": "203.0.113.77",
          "x-client-address": "203.0.113.78",
        })
      ).status,
    ).toBe(200);
    const change = await database.db.profileChange.findFirstOrThrow({ where: { userId: person.userId } });
    expect(change.ipAddress).toBe("127.0.0.1");
  });

  it.each([
    ['{"json":{"__proto__":{"role":"admin"},"username":"proto_a"}}', "__proto__"],
    ['{"json":{"constructor":{"x":1},"username":"proto_b"}}', "constructor"],
    ['{"json":{"username":"proto_c","nested":{"prototype":1}}}', "prototype"],
  ])("refuses prototype keys like any unknown key: %s", async (body, key) => {
    const person = await signUp();
    const res = await fetch(`${apiUrl}/api/trpc/user.update`, {
      method: "POST",
      headers: { authorization: `Bearer ${person.token}`, "content-type": "application/json" },
      body,
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain(`Unrecognized key: \\"${key}\\"`);
    expect(await database.db.profileChange.count({ where: { userId: person.userId } })).toBe(0);
  });

  it("answers a NUL byte in a push endpoint with a field error, not a 500", async () => {
    const person = await signUp();
    const res = await fetch(`${apiUrl}/api/trpc/push.subscribe`, {
      method: "POST",
      headers: { authorization: `Bearer ${person.token}`, "content-type": "application/json" },
      body: JSON.stringify({
        json: { endpoint: "https://push.example/a\u0000b", keys: { p256dh: "x".repeat(87), auth: "y".repeat(22) } },
      }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("endpoint must not contain control characters");
  });
});

describe("a fault on the server", () => {
  it("is a generic message with a reference; the details stay in the log", async () => {
    const faulty = createServer();
    await new Promise<void>((resolve) => faulty.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(faulty.address() as AddressInfo).port}`;
    const auth = createAuth({ db: database.db, baseURL: url, secret: "http-test-secret-http-test-secret-123456" });
    const relay = {
      dispatchSoon: () => {
        throw new Error("relay exploded: secret internals at 10.0.0.7");
      },
    };
    faulty.on("request", createNodeApiHandler({ auth, db: database.db, relay, config: testApiConfig }));
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const signUpRes = await auth.api.signUpEmail({
        body: { email: "faulty@example.test", password: "a-good-password-1", name: "faulty_1", username: "faulty_1" },
        returnHeaders: true,
      });
      const token = signUpRes.headers.get("set-auth-token")!;
      const res = await fetch(`${url}/api/trpc/user.update`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ json: { username: "faulty_2" } }),
      });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain("exploded");
      expect(text).not.toContain("10.0.0.7");
      expect(text).not.toContain("stack");
      const reference = /reference ([0-9a-f]{8})/.exec(text)?.[1];
      expect(reference).toBeDefined();
      expect(logged.some((args) => String(args[0]).includes(reference!) && String(args[1]).includes("exploded"))).toBe(
        true,
      );
    } finally {
      console.error = original;
      await new Promise<void>((resolve) => faulty.close(() => resolve()));
    }
  });
});
