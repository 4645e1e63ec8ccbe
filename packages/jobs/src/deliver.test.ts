import { describe, expect, it } from "vitest";
import { retriesExhausted } from "./deliver";

describe("retriesExhausted", () => {
  const openedAt = new Date("2026-11-28T10:00:00Z");
  const day = 24 * 60 * 60_000;
  const step = (attempt: number) => ({ runId: "r", attempt, maxAttempts: 21 });

  it("keeps retrying within the attempts and the horizon", () => {
    expect(retriesExhausted(step(0), openedAt, day, openedAt.getTime() + 1_000)).toBeNull();
    expect(retriesExhausted(step(19), openedAt, day, openedAt.getTime() + day - 1)).toBeNull();
  });

  it("stops on the last attempt or once the horizon has passed, saying which", () => {
    expect(retriesExhausted(step(20), openedAt, day, openedAt.getTime() + 1_000)).toBe("all 21 attempts used");
    expect(retriesExhausted(step(3), openedAt, day, openedAt.getTime() + day)).toBe("retried for 24 h");
    expect(retriesExhausted(step(3), openedAt, 90_000, openedAt.getTime() + 90_000)).toBe("retried for 1.5 min");
  });
});
