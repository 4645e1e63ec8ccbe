import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { callerFor, createUser } from "../test-utils";
import type { EventPublisher, OutboundEvent } from "@acme/validators";
import { OutboxRelay } from "./relay";

// A real HTTP event receiver shaped like Inngest's event API: POST /e/:key with an array of events.
let receiver: Server;
let receiverUrl: string;
let received: OutboundEvent[] = [];
let failNext = 0;
let database: TestDatabase;

const httpPublisher: EventPublisher = {
  async publish(events) {
    const response = await fetch(`${receiverUrl}/e/test-key`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(events),
    });
    if (!response.ok) throw new Error(`receiver answered ${response.status}`);
  },
};

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (failNext > 0) {
        failNext -= 1;
        res.writeHead(503).end("unavailable");
        return;
      }
      const events = JSON.parse(body) as OutboundEvent[];
      received.push(...events);
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ ids: events.map((e) => e.id), status: 200 }));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await database.destroy();
});

beforeEach(async () => {
  received = [];
  failNext = 0;
  await database.db.outboxEvent.deleteMany();
});

/** Rows as a crash would leave them: committed, never dispatched. */
async function undispatchedRows(n: number, ageMs = 10_000) {
  const createdAt = new Date(Date.now() - ageMs);
  const rows = [];
  for (let i = 0; i < n; i += 1) {
    rows.push(
      await database.db.outboxEvent.create({ data: { name: "user/profile.updated", payload: { n: i }, createdAt } }),
    );
  }
  return rows;
}

function countById(events: OutboundEvent[]) {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.id, (counts.get(event.id) ?? 0) + 1);
  return counts;
}

describe("OutboxRelay", () => {
  it("publishes a committed update's event with the outbox row id as event id, then marks it dispatched", async () => {
    const user = await createUser(database.db);
    const relay = new OutboxRelay({ db: database.db, publisher: httpPublisher });
    const { caller, dispatched } = callerFor(database.db, user);
    await caller.user.update({ username: "relayed_name" });
    expect(await relay.dispatch(dispatched)).toBe(1);

    const row = await database.db.outboxEvent.findUniqueOrThrow({ where: { id: dispatched[0]! } });
    expect(row.dispatchedAt).toBeInstanceOf(Date);
    expect(row.attempts).toBe(1);
    expect(received).toEqual([
      { id: row.id, name: "user/profile.updated", data: row.payload, ts: row.createdAt.getTime() },
    ]);
    // Dispatching again publishes nothing.
    expect(await relay.dispatch(dispatched)).toBe(0);
    expect(received).toHaveLength(1);
  });

  it("re-publishes rows left undispatched by a crash exactly once each, even with two relays sweeping at once", async () => {
    const rows = await undispatchedRows(25);
    const a = new OutboxRelay({ db: database.db, publisher: httpPublisher, batchSize: 4 });
    const b = new OutboxRelay({ db: database.db, publisher: httpPublisher, batchSize: 4 });
    const [fromA, fromB] = await Promise.all([a.sweep(), b.sweep()]);
    expect(fromA + fromB).toBe(25);
    const counts = countById(received);
    expect(counts.size).toBe(25);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await database.db.outboxEvent.count({ where: { dispatchedAt: null } })).toBe(0);
    expect(new Set(received.map((e) => e.id))).toEqual(new Set(rows.map((r) => r.id)));
    // Nothing left for a later sweep.
    expect(await a.sweep()).toBe(0);
  });

  it("keeps a row whose publish failed, records the error, and publishes it on the next sweep", async () => {
    const [row] = await undispatchedRows(1);
    const relay = new OutboxRelay({ db: database.db, publisher: httpPublisher });
    failNext = 1;
    await expect(relay.sweep()).rejects.toThrow(/503/);
    const failed = await database.db.outboxEvent.findUniqueOrThrow({ where: { id: row!.id } });
    expect(failed).toMatchObject({
      dispatchedAt: null,
      lockedUntil: null,
      attempts: 1,
      lastError: "receiver answered 503",
    });

    expect(await relay.sweep()).toBe(1);
    expect(received.map((e) => e.id)).toEqual([row!.id]);
    expect(await database.db.outboxEvent.findUniqueOrThrow({ where: { id: row!.id } })).toMatchObject({
      attempts: 2,
      lastError: null,
    });
  });

  it("leaves fresh rows to the request's own dispatch, and claimed rows to their claimant", async () => {
    await undispatchedRows(1, 0);
    const relay = new OutboxRelay({ db: database.db, publisher: httpPublisher, graceMs: 60_000 });
    expect(await relay.sweep()).toBe(0);

    const [claimed] = await undispatchedRows(1);
    await database.db.outboxEvent.update({
      where: { id: claimed!.id },
      data: { lockedUntil: new Date(Date.now() + 60_000) },
    });
    expect(await new OutboxRelay({ db: database.db, publisher: httpPublisher }).sweep()).toBe(0);
    expect(received).toEqual([]);
  });

  it("publishes rows handed over during a dispatch together in the next one, each exactly once", async () => {
    const rows = await undispatchedRows(30, 0);
    const publishes: number[] = [];
    const counting: EventPublisher = {
      async publish(events) {
        publishes.push(events.length);
        await httpPublisher.publish(events);
      },
    };
    const relay = new OutboxRelay({ db: database.db, publisher: counting, graceMs: 60_000 });
    for (const row of rows) relay.dispatchSoon(row.id);
    await relay.stop();
    expect(countById(received).size).toBe(30);
    expect(received).toHaveLength(30);
    // The first row starts a dispatch at once; the 29 handed over meanwhile share the next.
    expect(publishes).toEqual([1, 29]);
    expect(await database.db.outboxEvent.count({ where: { dispatchedAt: null } })).toBe(0);
  });

  it("sweeps periodically once started, and stop() waits for work in flight", async () => {
    await undispatchedRows(3);
    const relay = new OutboxRelay({ db: database.db, publisher: httpPublisher, sweepIntervalMs: 20 });
    relay.start();
    const deadline = Date.now() + 10_000;
    while (received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await relay.stop();
    expect(countById(received).size).toBe(3);
    expect(received).toHaveLength(3);
  });
});
