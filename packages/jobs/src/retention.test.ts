import { describe, expect, it } from "vitest";
import { setUpTestDatabase } from "@acme/db/testing";
import { createFunctions } from "./functions";
import { applyRetention } from "./functions/retention";

const database = setUpTestDatabase();

const DAY = 24 * 60 * 60 * 1000;

describe("retention", () => {
  it("forgets where old changes came from and keeps what they were; recent ones stay whole", async () => {
    const user = await database.db.user.create({
      data: { email: "kept@example.test", name: "kept_1", username: "kept_1", usernameNormalized: "kept_1" },
    });
    const now = new Date();
    const change = (ageDays: number) =>
      database.db.profileChange.create({
        data: {
          userId: user.id,
          actorId: user.id,
          changedFields: ["username"],
          changes: { username: { from: "a", to: "b" } },
          ipAddress: "198.51.100.7",
          userAgent: "Mozilla/5.0 Firefox/133.0",
          createdAt: new Date(now.getTime() - ageDays * DAY),
        },
      });
    const [old, recent] = [await change(91), await change(89)];
    await database.db.rateLimitCounter.create({
      data: { key: "stale", count: 1, windowStart: new Date(0), lastAt: new Date(now.getTime() - 120 * DAY) },
    });
    await database.db.rateLimitCounter.create({ data: { key: "live", count: 1, windowStart: now, lastAt: now } });

    expect(await applyRetention(database.db, 90, now)).toEqual({ anonymizedChanges: 1, deletedCounters: 1 });
    const rows = await database.db.profileChange.findMany({ where: { userId: user.id } });
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
    expect(byId[old.id]).toMatchObject({ ipAddress: null, userAgent: null, changedFields: ["username"] });
    expect(byId[recent.id]).toMatchObject({ ipAddress: "198.51.100.7", userAgent: "Mozilla/5.0 Firefox/133.0" });
    expect((await database.db.rateLimitCounter.findMany()).map((c) => c.key)).toEqual(["live"]);
    // Nothing left to do on a second run.
    expect(await applyRetention(database.db, 90, now)).toEqual({ anonymizedChanges: 0, deletedCounters: 0 });
  });

  it("is one of the app's functions, scheduled daily", () => {
    const deps = { config: { delivery: { emailRatePerSecond: 2 } } } as never;
    const retention = createFunctions(deps).find((fn) => fn.id() === "apply-retention");
    // What the SDK registers with the executor (its registration body), read through the SDK's own method.
    const registrable = retention as unknown as { getConfig(opts: { baseUrl: URL; appPrefix: string }): unknown };
    const config = registrable.getConfig({ baseUrl: new URL("http://app.test/api/inngest"), appPrefix: "app" });
    expect(JSON.stringify(config)).toContain('"cron":"TZ=UTC 17 3 * * *"');
  });
});
