import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@acme/db/testing";
import { consumeLimit, countEvent, readCounter } from "./rate-limit";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

describe("consumeLimit", () => {
  it("allows max requests per window, then says when to come back, across concurrent callers", async () => {
    const rule = { max: 5, windowSeconds: 60 };
    const decisions = await Promise.all(Array.from({ length: 12 }, () => consumeLimit(database.db, "k:1", rule)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    const refused = decisions.filter((d) => !d.allowed);
    expect(refused).toHaveLength(7);
    for (const decision of refused) expect(decision.retryAfterSeconds).toBeGreaterThan(55);
    // Another key is another budget.
    expect((await consumeLimit(database.db, "k:2", rule)).allowed).toBe(true);
  });

  it("starts a new window once the old one lapsed", async () => {
    const rule = { max: 1, windowSeconds: 1 };
    expect((await consumeLimit(database.db, "k:short", rule)).allowed).toBe(true);
    expect((await consumeLimit(database.db, "k:short", rule)).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await consumeLimit(database.db, "k:short", rule)).allowed).toBe(true);
  });

  it("reads a counter without counting", async () => {
    await countEvent(database.db, "k:read", 60);
    await countEvent(database.db, "k:read", 60);
    expect((await readCounter(database.db, "k:read", 60)).count).toBe(2);
    expect((await readCounter(database.db, "k:read", 60)).count).toBe(2);
    expect((await readCounter(database.db, "k:absent", 60)).count).toBe(0);
  });
});
