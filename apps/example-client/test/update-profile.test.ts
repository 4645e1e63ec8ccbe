import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeApiHandler } from "@acme/api/node";
import { createAuth } from "@acme/auth";
import { loadServerConfig } from "@acme/config";
import { DEMO_USERS, seedDemoUsers } from "@acme/db";
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { signIn } from "../src/client";

const run = promisify(execFile);
const demoUser = DEMO_USERS.find((u) => u.role === "user")!;

// The API's own handlers (auth + tRPC) on a real HTTP server, as the Next.js routes mount them.
let database: TestDatabase;
let server: Server;
let apiUrl: string;
const dispatched: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoUsers(database.db);
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = createAuth({ db: database.db, baseURL: apiUrl, secret: "test-secret-test-secret-test-secret-1234" });
  server.on(
    "request",
    createNodeApiHandler({
      auth,
      db: database.db,
      relay: { dispatchSoon: (ids) => dispatched.push(...[ids].flat()) },
      config: {
        defaultPhoneRegion: "US",
        vapidPublicKey: null,
        mailbox: { mode: "unconfigured" },
        inngest: { apiUrl: null, signingKey: null, env: null, runPageUrl: null },
        security: loadServerConfig({ DATABASE_URL: "postgresql://unused" }).security,
        secureLinks: { secret: "test-secure-link-key", ttlMs: 7 * 24 * 3_600_000 },
      },
    }),
  );
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await database.destroy();
});

async function runExample(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", path.resolve(__dirname, "../src/cli.ts"), ...args],
      {
        env: { ...process.env, API_URL: apiUrl, ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("examples/update-profile", () => {
  it("signs in with a bearer token and updates the profile through the typed client", async () => {
    const result = await runExample(["--username", "example_user", "--phone", "(415) 555-0142"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { changed: string[]; user: { username: string; phoneNumber: string } };
    expect(printed.changed).toEqual(["username", "phoneNumber"]);
    expect(printed.user).toMatchObject({
      username: "example_user",
      phoneNumber: "+14155550142",
      email: demoUser.email,
    });

    const stored = await database.db.user.findUniqueOrThrow({ where: { email: demoUser.email } });
    expect(stored).toMatchObject({ username: "example_user", phoneNumber: "+14155550142" });
    const outbox = await database.db.outboxEvent.findMany();
    expect(outbox).toHaveLength(1);
    expect(dispatched).toEqual([outbox[0]!.id]);
  });

  it("prints the server's field errors for invalid input and exits non-zero", async () => {
    const result = await runExample(["--phone", "12345"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("BAD_REQUEST: phoneNumber: Phone number is not a valid number");
    expect(result.stderr).toContain('"phoneNumber"');
  });

  it("refuses a wrong password", async () => {
    const result = await runExample(["--username", "nope_name"], { PASSWORD: "wrong-password-1" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Sign-in failed/);
  });

  it("does not let better-auth's own update-user endpoint bypass user.update", async () => {
    const token = await signIn(apiUrl, demoUser.email, demoUser.password);
    const before = await database.db.user.findUniqueOrThrow({ where: { email: demoUser.email } });
    for (const body of [{ username: "ALICE <img src=x>" }, { name: "alice" }, { phoneNumber: "+14155550000" }]) {
      const response = await fetch(`${apiUrl}/api/auth/update-user`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", origin: apiUrl },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
    }
    const after = await database.db.user.findUniqueOrThrow({ where: { email: demoUser.email } });
    expect(after).toMatchObject({ username: before.username, name: before.name, phoneNumber: before.phoneNumber });
  });

  it("explains a refused connection instead of printing 'fetch failed'", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const result = await runExample(["--username", "nobody_home"], { API_URL: `http://127.0.0.1:${port}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Could not reach the API at http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(result.stderr).toContain("API_URL");
  });

  it("follows APP_URL when API_URL is not set, and prints usage for unknown flags", async () => {
    const viaAppUrl = await runExample(["--", "--username", "app_url_user"], { API_URL: "", APP_URL: apiUrl });
    expect(viaAppUrl.stderr).toBe("");
    expect(viaAppUrl.code).toBe(0);
    const unknown = await runExample(["--nickname", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Usage: pnpm example:update-profile");
    expect(unknown.stderr).not.toContain("    at ");
  });

  it("rejects API calls without a valid bearer token", async () => {
    const response = await fetch(`${apiUrl}/api/trpc/user.me`, { headers: { authorization: "Bearer not-a-token" } });
    expect(response.status).toBe(401);
  });
});
