import { describe, expect, it } from "vitest";
import { decideFault } from "./fault-proxy";

const sequence =
  (...values: number[]) =>
  () =>
    values.shift() ?? 0;

describe("decideFault", () => {
  const plan = { rate: 0.3, afterShare: 0.25 };
  it("passes requests above the failure rate", () => {
    expect(decideFault(plan, sequence(0.3))).toEqual({ kind: "pass" });
  });
  it("fails after the provider accepted for the configured share, as a 502 or a reset", () => {
    expect(decideFault(plan, sequence(0.1, 0.2, 0.7))).toEqual({ kind: "after", reset: false });
    expect(decideFault(plan, sequence(0.1, 0.2, 0.1))).toEqual({ kind: "after", reset: true });
  });
  it("otherwise fails before the provider with 500, 502, 503 or 429", () => {
    expect(decideFault(plan, sequence(0.1, 0.5, 0))).toEqual({ kind: "before", status: 500 });
    expect(decideFault(plan, sequence(0.1, 0.5, 0.99))).toEqual({ kind: "before", status: 429 });
  });
});
