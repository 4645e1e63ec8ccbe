import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoUsers } from "@acme/db";
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { repoRoot } from "./paths";

// The commands run as the operator runs them (`node --import tsx …` from the repository root)
// against a real database given as DATABASE_URL.
let database: TestDatabase;
// An embedded server (no TEST_DATABASE_URL) takes a few seconds to start and migrate.
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoUsers(database.db);
}, 60_000);
afterAll(async () => {
  await database.destroy();
});

// Ports away from anything else: only reached if the refusal under test fails.
const offset = 300 + Math.floor(Math.random() * 50);
function runCommand(script: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join("packages/devstack/src", script), ...args], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        LOCAL_DEMO: "",
        SEED_DEMO_USERS: "",
        PORT: String(3000 + offset),
        MAILBOX_PORT: String(8025 + offset),
        EXECUTOR_PORT: String(8288 + offset),
        ...env,
      },
      detached: true,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("pnpm admin:grant / admin:revoke", () => {
  it("says what happened for each case, and the last admin keeps the role", async () => {
    const unknown = await runCommand("commands/admin-role.ts", ["grant", "nobody@example.test"]);
    expect(unknown).toMatchObject({ code: 1, output: expect.stringContaining("No account has the email") });

    const last = await runCommand("commands/admin-role.ts", ["revoke", "ADMIN@example.com"]);
    expect(last.code).toBe(1);
    expect(last.output).toContain("admin@example.com is the last admin; nothing changed");

    const granted = await runCommand("commands/admin-role.ts", ["grant", "user@example.com"]);
    expect(granted).toMatchObject({ code: 0, output: expect.stringContaining("user@example.com is now an admin") });
    const again = await runCommand("commands/admin-role.ts", ["grant", "user@example.com"]);
    expect(again).toMatchObject({ code: 0, output: expect.stringContaining("already an admin; nothing changed") });

    const revoked = await runCommand("commands/admin-role.ts", ["revoke", "admin@example.com"]);
    expect(revoked).toMatchObject({
      code: 0,
      output: expect.stringContaining("admin@example.com is no longer an admin"),
    });

    const audit = await database.db.adminRoleChange.findMany({ orderBy: { createdAt: "asc" } });
    expect(audit.map((row) => [row.action, row.targetEmail, row.source])).toEqual([
      ["granted", "user@example.com", "command_line"],
      ["revoked", "admin@example.com", "command_line"],
    ]);
    // Put the demo admin back for the next test.
    await database.db.user.update({ where: { email: "admin@example.com" }, data: { role: "admin" } });
  }, 120_000);

  it("prints its usage for a missing email", async () => {
    expect(await runCommand("commands/admin-role.ts", ["grant"])).toMatchObject({
      code: 2,
      output: expect.stringContaining("usage: pnpm admin:grant <email>"),
    });
  });
});

describe("pnpm start with the demo accounts of pnpm dev still in the data", () => {
  it("refuses with the command to remove them, and pnpm demo:remove clears them", async () => {
    const refused = await runCommand("start.ts", ["--prod"]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain("refusing to start in production mode");
    expect(refused.output).toMatch(/admin@example\.com.*still accept the passwords.*pnpm demo:remove/s);
    expect(await database.db.user.count({ where: { email: { in: ["admin@example.com", "user@example.com"] } } })).toBe(
      2,
    );

    const removed = await runCommand("commands/demo-remove.ts", []);
    expect(removed.code).toBe(0);
    expect(removed.output).toMatch(/removed (admin|user)@example\.com, (admin|user)@example\.com/);
    expect(await database.db.user.count({ where: { email: { in: ["admin@example.com", "user@example.com"] } } })).toBe(
      0,
    );
    expect(removed.output).toContain("no admin is left: give someone the role with pnpm admin:grant <email>");
  }, 120_000);
});
