import { describe, expect, it } from "vitest";
import { formatTable, percentile, spread, summarizeLatencies } from "./stats";

describe("percentile", () => {
  it("takes the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile(values, 1)).toBe(100);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it("summarizes unsorted latencies", () => {
    expect(summarizeLatencies([5, 1, 3, 2, 4])).toEqual({ count: 5, p50: 3, p95: 5, p99: 5, max: 5 });
  });
});

describe("spread", () => {
  it("prints the range of repeated measurements, or one value when they agree", () => {
    expect(spread([12.2, 15.4, 13])).toBe("12–15");
    expect(spread([3.04, 3.01], 1)).toBe("3.0");
    expect(spread([Number.NaN])).toBe("–");
  });
});

describe("formatTable", () => {
  it("aligns columns as a markdown table", () => {
    expect(formatTable(["a", "bbb"], [["10", "2"]])).toBe("| a  | bbb |\n| -- | --- |\n| 10 | 2   |");
  });
});
