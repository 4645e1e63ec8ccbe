// The baseline and the load runner against a real database: every request changes a user and
// writes its audit and outbox rows; the BullMQ variant sends the email and the push.
import { connect, type AddressInfo } from "node:net";
import pg from "pg";
import { Resend } from "resend";
import webpush from "web-push";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { LOCAL_SENDER_DOMAIN, startMailbox } from "@acme/mailbox";
import { startPushService } from "@acme/push-service";
import { seedUsers, type BenchUser } from "../lib/database";
import { runLoad, updateRequests } from "../lib/load";
import { waitUntil } from "../lib/phases";
import { createBaselineServer, type BaselineServerOptions } from "./server";
import { startNotifyQueue } from "./worker";

const secret = "bench-test-secret-bench-test-secret";
let database: TestDatabase;
let pool: pg.Pool;
let users: BenchUser[];

beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 2 });
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
  // Dropping the database at the end ends idle connections from the server side.
  pool.on("error", () => {});
  users = await seedUsers(database.url, 4, secret);
});

afterAll(async () => {
  await pool?.end();
  await database?.destroy();
});

async function listen(options: BaselineServerOptions) {
  const server = createBaselineServer(options);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const count = async (sql: string, params: unknown[] = []) =>
  Number((await pool.query<{ n: string }>(sql, params)).rows[0]!.n);

describe("baseline server", () => {
  it("answers each update with a change, its audit row and its outbox row", async () => {
    const server = await listen({ pool, authSecret: secret });
    try {
      const result = await runLoad({
        url: server.url,
        connections: 2,
        amount: 20,
        nextRequest: updateRequests(users, "s"),
      });
      expect(result.statuses).toEqual({ "200": 20 });
      expect(result.errors).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM "ProfileChange" WHERE changes->'username'->>'to' LIKE 's%'`)).toBe(
        20,
      );
      // Born dispatched, so an app relay sharing the database leaves them alone.
      expect(await count(`SELECT count(*) AS n FROM "OutboxEvent" WHERE "dispatchedAt" IS NOT NULL`)).toBe(20);
      const { rows } = await pool.query<{ username: string }>(`SELECT username FROM "User" WHERE id = $1`, [
        users[0]!.id,
      ]);
      expect(rows[0]!.username).toMatch(/^s0x\d+$/);

      const forged = await fetch(`${server.url}/api/trpc/user.update`, {
        method: "POST",
        headers: { authorization: `Bearer ${users[0]!.bearer.replace(/.{4}$/, "AAAA")}` },
        body: JSON.stringify({ json: { username: "forged" } }),
      });
      expect(forged.status).toBe(401);
    } finally {
      server.close();
    }
  });
});

function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(6379, "127.0.0.1");
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe.skipIf(!(await redisReachable()))("BullMQ baseline (Redis on 127.0.0.1:6379)", () => {
  it("sends the email and the push of each change through the SDKs and records both", async () => {
    // The local providers with Resend's and Apple's rules (key, verified sender, real contact), at a high-volume rate.
    const [mailbox, push] = await Promise.all([
      startMailbox({ port: 0, rateLimit: 1_000 }),
      startPushService({ port: 0 }),
    ]);
    const vapid = webpush.generateVAPIDKeys();
    const device = push.createSubscription({ applicationServerKey: vapid.publicKey });
    await pool.query(
      `INSERT INTO "PushSubscription" (id, "userId", endpoint, p256dh, auth, "createdAt") VALUES ('device-1', $1, $2, $3, $4, now())`,
      [users[1]!.id, device.subscription.endpoint, device.subscription.keys.p256dh, device.subscription.keys.auth],
    );
    const queue = await startNotifyQueue({
      pool,
      redis: { host: "127.0.0.1", port: 6379 },
      queueName: `bench-test-${process.pid}-${Date.now()}`,
      concurrency: 2,
      resend: new Resend(mailbox.apiKey, { baseUrl: mailbox.url }),
      vapid: { ...vapid, subject: "mailto:ops@acme.dev" },
      pushAgent: push.agent,
      appUrl: "http://localhost:3000",
      emailFrom: `Profile Notify <notifications@${LOCAL_SENDER_DOMAIN}>`,
    });
    const server = await listen({ pool, authSecret: secret, afterCommit: (change) => queue.enqueue(change) });
    try {
      const result = await runLoad({
        url: server.url,
        connections: 1,
        amount: 3,
        nextRequest: updateRequests([users[1]!], "q"),
      });
      expect(result.statuses).toEqual({ "200": 3 });
      const sent = () =>
        count(
          `SELECT count(*) AS n FROM "Delivery" d JOIN "ProfileChange" pc ON pc.id = d."profileChangeId"
           WHERE pc.changes->'username'->>'to' LIKE 'q%' AND d.status = 'sent'`,
        );
      expect(await waitUntil(async () => (await sent()) === 6, 20_000, 100)).toBe(true);
      expect(mailbox.messages()).toHaveLength(3);
      expect(mailbox.messages()[0]!.idempotencyKey).toMatch(/^profile-change\/.+\/email\/0$/);
      expect(push.received(device.id)).toHaveLength(3);
      expect(push.received(device.id)[0]!.json).toMatchObject({ tag: expect.stringMatching(/^profile-change-/) });
    } finally {
      server.close();
      await queue.close();
      await Promise.all([mailbox.stop(), push.stop()]);
    }
  });
});
