import { describe, expect, it } from "vitest";
import { classifyFailure, parseRetryAfter } from "./errors";

describe("classifyFailure", () => {
  it.each([
    ["push", null, { kind: "transient", retryAfterMs: null }],
    ["push", 500, { kind: "transient", retryAfterMs: null }],
    ["email", 503, { kind: "transient", retryAfterMs: null }],
    ["push", 404, { kind: "gone" }],
    ["push", 410, { kind: "gone" }],
    ["email", 404, { kind: "permanent" }],
    ["email", 422, { kind: "permanent" }],
    ["push", 400, { kind: "permanent" }],
    ["push", 403, { kind: "permanent" }],
  ] as const)("%s %s → %j", (channel, status, expected) => {
    expect(classifyFailure(channel, status)).toEqual(expected);
  });

  it("retries a Resend 409 only while an overlapping request with the same key is in flight", () => {
    expect(classifyFailure("email", 409, null, "concurrent_idempotent_requests")).toEqual({
      kind: "transient",
      retryAfterMs: 1000,
    });
    expect(classifyFailure("email", 409, null, "invalid_idempotent_request")).toEqual({ kind: "permanent" });
  });

  it("honours Retry-After on 429 in seconds or as a date", () => {
    expect(classifyFailure("email", 429, "7")).toEqual({ kind: "transient", retryAfterMs: 7000 });
    const now = Date.parse("2026-11-28T10:00:00Z");
    expect(parseRetryAfter("Sat, 28 Nov 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("soon")).toBeNull();
  });
});
