import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { appRouter } from "./root";
import { callerFor, createUser, useTestDatabase } from "./test-utils";

// Who may call each procedure. Read from the router itself: a procedure added without a line
// here fails the first test, so nobody ships one without deciding.
const ACCESS: Record<string, "anyone" | "signed-in" | "admin"> = {
  "user.me": "signed-in",
  "user.update": "signed-in",
  "user.activity": "signed-in",
  "push.publicKey": "anyone",
  "push.subscribe": "signed-in",
  "push.unsubscribe": "signed-in",
  "push.list": "signed-in",
  "admin.ping": "admin",
  "admin.summary": "admin",
  "admin.deliveries.list": "admin",
  "admin.deliveries.updates": "admin",
  "admin.deliveries.get": "admin",
  "admin.deliveries.retry": "admin",
  "admin.deliveries.retryMatching": "admin",
  "admin.deliveries.retryPreview": "admin",
  "admin.runs.get": "admin",
  "admin.changes.get": "admin",
  "admin.mailbox.list": "admin",
  "admin.mailbox.get": "admin",
  "admin.users.list": "admin",
  "admin.users.setRole": "admin",
  "admin.users.audit": "admin",
  // The "this wasn't me" link works signed out: the signed token is the credential.
  "secureLink.view": "anyone",
  "secureLink.confirm": "anyone",
  "secureLink.report": "anyone",
};

const database = useTestDatabase({ reset: false });
const procedures = Object.keys(appRouter._def.procedures);

type Caller = ReturnType<typeof callerFor>["caller"];

/** Calls `path` on `caller` with no input: the access check comes before the input is read. */
async function codeOf(caller: Caller, path: string): Promise<string> {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  try {
    await (fn as (input?: unknown) => Promise<unknown>)(undefined);
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("every procedure has an access rule", () => {
  it("lists exactly the router's procedures", () => {
    expect(procedures.sort()).toEqual(Object.keys(ACCESS).sort());
  });

  it.each(procedures)("%s: anonymous callers", async (path) => {
    const code = await codeOf(callerFor(database.db, null).caller, path);
    if (ACCESS[path] === "anyone") expect(code).not.toBe("UNAUTHORIZED");
    else expect(code).toBe("UNAUTHORIZED");
  });

  it.each(procedures)("%s: signed-in users who are not admins", async (path) => {
    const user = await createUser(database.db);
    const { caller, dispatched } = callerFor(database.db, user);
    const code = await codeOf(caller, path);
    if (ACCESS[path] === "admin") {
      expect(code).toBe("FORBIDDEN");
      expect(dispatched).toEqual([]);
    } else expect(["UNAUTHORIZED", "FORBIDDEN"]).not.toContain(code);
  });

  it.each(procedures.filter((path) => ACCESS[path] === "admin"))("%s: admins get past the check", async (path) => {
    const admin = await createUser(database.db, { role: "admin" });
    expect(["UNAUTHORIZED", "FORBIDDEN"]).not.toContain(await codeOf(callerFor(database.db, admin).caller, path));
  });
});
