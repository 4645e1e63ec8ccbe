import { expect, it } from "vitest";
import { setUpTestDatabase } from "@acme/db/testing";
import { PACE_HEADROOM, reserveEmailTurns } from "./email-pace";

const database = setUpTestDatabase();

it("hands out turns 1 s / (rate × headroom) apart, one queue for every caller, never in the past", async () => {
  const rate = 4;
  const gap = 1000 / (rate * PACE_HEADROOM); // 312.5 ms
  const first = await reserveEmailTurns(database.db, ["a", "b", "c"], rate);
  expect(first.map((t) => t.deliveryId)).toEqual(["a", "b", "c"]);
  // The queue was empty: the first turn is now.
  expect(first[0]!.at).toBe(first[0]!.reservedAt);
  expect(first[1]!.at - first[0]!.at).toBeCloseTo(gap, -1);
  expect(first[2]!.at - first[0]!.at).toBeCloseTo(2 * gap, -1);

  // Callers at once (other runs, other instances) queue behind one another, never on the same turn.
  const concurrent = await Promise.all(["d", "e", "f", "g"].map((id) => reserveEmailTurns(database.db, [id], rate)));
  const turns = [...first, ...concurrent.flat()].map((t) => t.at).sort((x, y) => x - y);
  for (let i = 1; i < turns.length; i += 1) expect(turns[i]! - turns[i - 1]!).toBeGreaterThanOrEqual(Math.floor(gap));

  // Once the queue has drained, a new turn starts from now, not from the last one.
  await database.db.$executeRaw`UPDATE "SendPace" SET "nextAt" = now() - interval '1 minute'`;
  const [later] = await reserveEmailTurns(database.db, ["h"], rate);
  expect(later!.at).toBe(later!.reservedAt);
  expect(await reserveEmailTurns(database.db, [], rate)).toEqual([]);
});
