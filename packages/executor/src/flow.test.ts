// Flow control decisions: Inngest's throttle (GCRA) and keyed concurrency, without a database.
import { describe, expect, it } from "vitest";
import { admitByConcurrency, concurrencySlots, throttle, throttleKey } from "./flow";
import { nextCronTime, validateCron } from "./cron";

describe("throttle (GCRA)", () => {
  const run = (config: Parameters<typeof throttle>[0], times: number[]) => {
    let tat: number | undefined;
    return times.map((now) => {
      const d = throttle(config, tat, now);
      if (d.admitted) tat = d.tat;
      return d.admitted ? "ok" : d.retryAt;
    });
  };

  it("starts `limit` runs per period at once, then one every period/limit", () => {
    expect(run({ limit: 2, periodMs: 1000, burst: 0 }, [0, 0, 0, 499, 500, 500])).toEqual([
      "ok",
      "ok",
      500,
      500,
      "ok",
      1000,
    ]);
  });

  it("lets `burst` more start at once", () => {
    expect(run({ limit: 1, periodMs: 1000, burst: 2 }, [0, 0, 0, 0])).toEqual(["ok", "ok", "ok", 1000]);
  });

  it("refills after idle time and never admits more than the tolerance", () => {
    expect(run({ limit: 1, periodMs: 1000, burst: 0 }, [0, 5000, 5000, 6000])).toEqual(["ok", "ok", 6000, "ok"]);
  });

  it("keys buckets by function and evaluated key", () => {
    const event = { data: { userId: "u1" } };
    expect(throttleKey("app-fn", { limit: 1, periodMs: 1, burst: 0, key: "event.data.userId" }, event)).toBe(
      "app-fn:u1",
    );
    expect(throttleKey("app-fn", { limit: 1, periodMs: 1, burst: 0 }, event)).toBe("app-fn");
  });
});

describe("concurrency", () => {
  it("evaluates keys per scope: function, or shared across functions for env/account", () => {
    const event = { data: { userId: "u1" } };
    expect(
      concurrencySlots(
        "app-fn",
        [
          { limit: 5, scope: "fn" },
          { limit: 1, scope: "fn", key: "event.data.userId" },
          { limit: 2, scope: "env", key: "event.data.userId" },
          { limit: 3, scope: "account", key: "'all'" },
        ],
        event,
      ),
    ).toEqual([
      { key: "f:app-fn", limit: 5 },
      { key: "f:app-fn:u1", limit: 1 },
      { key: "e:u1", limit: 2 },
      { key: "a:all", limit: 3 },
    ]);
  });

  it("admits jobs while every key they carry has a free slot, skipping (not blocking on) full ones", () => {
    const a = { id: "a", slots: [{ key: "u1", limit: 1 }] };
    const b = { id: "b", slots: [{ key: "u1", limit: 1 }] };
    const c = { id: "c", slots: [{ key: "u2", limit: 1 }] };
    const d = { id: "d", slots: [] };
    expect(admitByConcurrency([a, b, c, d], new Map()).map((j) => j.id)).toEqual(["a", "c", "d"]);
    expect(admitByConcurrency([a, c], new Map([["u1", 1]])).map((j) => j.id)).toEqual(["c"]);
  });
});

describe("cron", () => {
  it("computes the next fire time, with an optional time zone", () => {
    const after = new Date("2030-01-01T12:00:00Z");
    expect(nextCronTime("0 3 * * *", after).toISOString()).toBe("2030-01-02T03:00:00.000Z");
    expect(nextCronTime("TZ=Europe/Paris 0 3 * * *", after).toISOString()).toBe("2030-01-02T02:00:00.000Z");
    expect(nextCronTime("@daily", after).toISOString()).toBe("2030-01-02T00:00:00.000Z");
    expect(() => validateCron("every day")).toThrow();
  });
});
