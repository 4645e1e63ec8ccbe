import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadServerConfig } from "@acme/config";
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
// The real local mailbox, so these tests hold its Resend-compatible contract. (Imported by path
// until @acme/api lists @acme/mailbox as a devDependency.)
import { startMailbox, type Mailbox } from "@acme/mailbox";
import { callerFor, createUser } from "../../../test-utils";
import { createChange, createDelivery, rejection } from "../test-helpers";
import { previewLine } from "./list.handler";

let database: TestDatabase;
let mailbox: Mailbox;
beforeAll(async () => {
  [database, mailbox] = await Promise.all([
    createTestDatabase(),
    startMailbox({ apiKey: "re_local_test", verifiedDomains: ["example.test"], rateLimit: 1_000 }),
  ]);
});
afterAll(async () => {
  await Promise.all([database.destroy(), mailbox.stop()]);
});
// The server's environment as each test sets it; the mailbox settings come from the real config parser.
let env: Record<string, string> = {};
beforeEach(async () => {
  await mailbox.reset();
  env = { RESEND_BASE_URL: mailbox.url, RESEND_API_KEY: "re_local_test" };
});

async function send(subject: string, to = "carol@example.com") {
  const response = await fetch(`${mailbox.url}/emails`, {
    method: "POST",
    headers: { authorization: "Bearer re_local_test", "content-type": "application/json" },
    body: JSON.stringify({
      from: "Profile Notify <notify@example.test>",
      to,
      subject,
      html: `<h1>${subject}</h1>`,
      text: subject,
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

async function adminCaller() {
  const { mailbox: mailboxConfig } = loadServerConfig({ DATABASE_URL: database.url, ...env });
  return callerFor(database.db, await createUser(database.db, { role: "admin" }), { mailbox: mailboxConfig }).caller;
}

describe("admin.mailbox", () => {
  it("lists stored emails newest first, pages with a cursor, and opens one with its HTML and text", async () => {
    const first = await send("First");
    const second = await send("Second");
    const third = await send("Third", "dave@example.com");
    const caller = await adminCaller();

    const page = await caller.admin.mailbox.list({ limit: 2 });
    expect(page).toMatchObject({ mode: "local", baseUrl: mailbox.url, hasMore: true });
    expect(page.emails.map((e) => [e.id, e.subject, e.to])).toEqual([
      [third, "Third", ["dave@example.com"]],
      [second, "Second", ["carol@example.com"]],
    ]);
    expect(page.emails[0]!.createdAt).toBeInstanceOf(Date);
    // The direction key is what tRPC's useInfiniteQuery adds to every page's input.
    const rest = await caller.admin.mailbox.list({ limit: 2, cursor: second, direction: "forward" });
    expect(rest.emails.map((e) => e.id)).toEqual([first]);
    expect(rest.hasMore).toBe(false);

    expect(await caller.admin.mailbox.get({ id: first })).toMatchObject({
      id: first,
      subject: "First",
      from: "Profile Notify <notify@example.test>",
      to: ["carol@example.com"],
      html: "<h1>First</h1>",
      text: "First",
    });
  });

  it("gives each email sent for a delivery a preview line and the change it tells about", async () => {
    const text =
      "YOUR PROFILE HAS BEEN UPDATED\n\nHi carol, these changes were made:\n\n * Username changed from “a” to “b”";
    const id = await send("Your profile has been updated");
    const other = await send("Not from a delivery");
    const user = await createUser(database.db);
    const parent = await createChange(database.db, user);
    const delivery = await createDelivery(database.db, parent, {
      providerMessageId: id,
      content: {
        from: "N <n@example.test>",
        to: "carol@example.com",
        subject: "Your profile has been updated",
        html: "<p/>",
        text,
      },
    });

    const { emails } = await (await adminCaller()).admin.mailbox.list({});
    expect(emails.find((e) => e.id === id)).toMatchObject({
      preview: "Hi carol, these changes were made: · Username changed from “a” to “b”",
      deliveryId: delivery.id,
      change: { id: parent.change.id, changedFields: ["username"] },
    });
    expect(emails.find((e) => e.id === other)).toMatchObject({ preview: null, deliveryId: null, change: null });
  });

  it("cuts a long preview to one line", () => {
    expect(previewLine(`Subject\n\n${"word ".repeat(100)}`, "subject")).toMatch(/^word word .*…$/);
    expect(previewLine(`Subject\n\n${"word ".repeat(100)}`, "subject")!.length).toBe(160);
    expect(previewLine("", "x")).toBeNull();
  });

  it("answers NOT_FOUND for an unknown email", async () => {
    expect((await rejection((await adminCaller()).admin.mailbox.get({ id: "no-such-email" }))).code).toBe("NOT_FOUND");
  });

  it("says the mailbox is not in use when a real Resend key is configured", async () => {
    env.RESEND_API_KEY = "re_live_123";
    const caller = await adminCaller();
    expect(await caller.admin.mailbox.list()).toEqual({ mode: "resend", baseUrl: null, emails: [], hasMore: false });
    const error = await rejection(caller.admin.mailbox.get({ id: "x" }));
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringMatching(/not in use/) });
  });

  it("says when no mailbox is configured", async () => {
    env.RESEND_BASE_URL = "";
    env.RESEND_API_KEY = "";
    expect(await (await adminCaller()).admin.mailbox.list()).toMatchObject({ mode: "unconfigured" });
  });

  it("reports an unreachable mailbox clearly", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    env.RESEND_BASE_URL = `http://127.0.0.1:${port}`;
    const error = await rejection((await adminCaller()).admin.mailbox.list());
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.message).toBe(`The local mailbox at http://127.0.0.1:${port} is unavailable (ECONNREFUSED)`);
  });

  it("reports a wrong API key as the mailbox's answer", async () => {
    env.RESEND_API_KEY = "re_local_wrong";
    const error = await rejection((await adminCaller()).admin.mailbox.list());
    expect(error).toMatchObject({
      code: "BAD_GATEWAY",
      message: "The local mailbox answered 403: API key is invalid.",
    });
  });

  it("times out instead of hanging on a mailbox that never answers", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    env.RESEND_BASE_URL = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const error = await rejection((await adminCaller()).admin.mailbox.list());
      expect(error).toMatchObject({
        code: "GATEWAY_TIMEOUT",
        message: expect.stringMatching(/did not answer within 5 s/),
      });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  }, 15_000);
});
