import { describe, expect, it } from "vitest";
import { describeRetrying, formatDuration, formatIn } from "./delivery-state";

const now = Date.parse("2026-05-01T10:00:00Z");
const later = (ms: number) => new Date(now + ms);

describe("describeRetrying", () => {
  it("names the next try, the run's budget and when it is due", () => {
    expect(describeRetrying({ nextAttempt: 2, maxAttempts: 6, nextAttemptAt: later(30_000) }, now)).toBe(
      "Retrying — attempt 2 of 6, next in 30 s",
    );
  });

  it("uses the run's queued job when the provider gave no time, and says nothing it does not know", () => {
    expect(describeRetrying({ nextAttempt: 3, maxAttempts: 6, nextAttemptAt: null }, now, later(125_000))).toBe(
      "Retrying — attempt 3 of 6, next in 2 min",
    );
    expect(describeRetrying({ nextAttempt: 3, maxAttempts: null, nextAttemptAt: null }, now)).toBe(
      "Retrying — attempt 3",
    );
  });

  it("leaves the word to a badge that already says it", () => {
    expect(
      describeRetrying({ nextAttempt: 2, maxAttempts: 6, nextAttemptAt: later(30_000) }, now, null, { label: false }),
    ).toBe("attempt 2 of 6, next in 30 s");
  });

  it("says now once the time has come", () => {
    expect(describeRetrying({ nextAttempt: 2, maxAttempts: 4, nextAttemptAt: later(-500) }, now)).toBe(
      "Retrying — attempt 2 of 4, due now",
    );
  });
});

describe("formatIn and formatDuration", () => {
  it.each([
    [400, "in 1 s"],
    [89_000, "in 89 s"],
    [600_000, "in 10 min"],
    [3 * 3_600_000, "in 3 h"],
  ])("%d ms ahead is %s", (ms, text) => {
    expect(formatIn(later(ms), now)).toBe(text);
  });

  it.each([
    [120, "120 ms"],
    [1_450, "1.4 s"],
    [42_000, "42 s"],
    [125_000, "2 min 5 s"],
    [120_000, "2 min"],
  ])("%d ms lasts %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
