import { describe, expect, it } from "vitest";
import { callerFor, createUser, useTestDatabase } from "../../test-utils";
import { rejection } from "./test-helpers";

const database = useTestDatabase({ reset: false });

type Caller = ReturnType<typeof callerFor>["caller"];

const procedures: [string, (caller: Caller) => Promise<unknown>][] = [
  ["summary", (c) => c.admin.summary()],
  ["deliveries.list", (c) => c.admin.deliveries.list({})],
  ["deliveries.updates", (c) => c.admin.deliveries.updates({ newerThan: null, watch: [], updatedSince: null })],
  ["deliveries.get", (c) => c.admin.deliveries.get({ id: "some-delivery" })],
  ["deliveries.retry", (c) => c.admin.deliveries.retry({ id: "some-delivery" })],
  ["deliveries.retryMatching", (c) => c.admin.deliveries.retryMatching({})],
  ["deliveries.retryPreview", (c) => c.admin.deliveries.retryPreview({})],
  ["runs.get", (c) => c.admin.runs.get({ runId: "some-run" })],
  ["changes.get", (c) => c.admin.changes.get({ id: "some-change" })],
  ["mailbox.list", (c) => c.admin.mailbox.list()],
  ["mailbox.get", (c) => c.admin.mailbox.get({ id: "some-email" })],
  ["users.list", (c) => c.admin.users.list({})],
  ["users.setRole", (c) => c.admin.users.setRole({ userId: "some-user", admin: true })],
  ["users.audit", (c) => c.admin.users.audit()],
];

describe("admin procedures: who may call them", () => {
  it.each(procedures)("%s rejects anonymous callers with UNAUTHORIZED", async (_name, call) => {
    expect((await rejection(call(callerFor(database.db, null).caller))).code).toBe("UNAUTHORIZED");
  });

  it.each(procedures)("%s rejects signed-in non-admins with FORBIDDEN and writes nothing", async (_name, call) => {
    const user = await createUser(database.db);
    const { caller, dispatched } = callerFor(database.db, user);
    expect((await rejection(call(caller))).code).toBe("FORBIDDEN");
    expect(dispatched).toEqual([]);
    expect(await database.db.outboxEvent.count()).toBe(0);
  });

  it("lets admins in", async () => {
    const admin = await createUser(database.db, { role: "admin" });
    const { caller } = callerFor(database.db, admin);
    await expect(caller.admin.deliveries.list({})).resolves.toEqual({ items: [], nextCursor: null });
  });

  it("rejects unknown input keys (strict inputs)", async () => {
    const admin = await createUser(database.db, { role: "admin" });
    const { caller } = callerFor(database.db, admin);
    const error = await rejection(caller.admin.deliveries.list({ userId: "x" } as never));
    expect(error.code).toBe("BAD_REQUEST");
  });
});
