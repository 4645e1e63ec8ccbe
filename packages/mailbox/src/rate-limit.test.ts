import { describe, expect, it } from "vitest";
import { SlidingWindowRateLimiter } from "./rate-limit";
import { senderDomain, unverifiedSender } from "./senders";

describe("SlidingWindowRateLimiter", () => {
  it("allows `limit` requests in any window, counting per key", () => {
    const limiter = new SlidingWindowRateLimiter(2);
    expect(limiter.take("a", 0)).toMatchObject({ allowed: true, remaining: 1, resetSeconds: 1 });
    expect(limiter.take("a", 400)).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.take("a", 999)).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    expect(limiter.take("b", 999)).toMatchObject({ allowed: true, remaining: 1 });
    // At 1000 the first request has left the window, the one at 400 has not.
    expect(limiter.take("a", 1_000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.take("a", 1_399)).toMatchObject({ allowed: false });
    expect(limiter.take("a", 1_400)).toMatchObject({ allowed: true });
  });

  it("never lets two windows' worth through across a window boundary", () => {
    const limiter = new SlidingWindowRateLimiter(2);
    limiter.take("a", 900);
    limiter.take("a", 950);
    // A fixed one-second window would start afresh at 1000 and allow two more.
    expect(limiter.take("a", 1_000).allowed).toBe(false);
    expect(limiter.take("a", 1_899).allowed).toBe(false);
    expect(limiter.take("a", 1_900).allowed).toBe(true);
  });

  it("says how long until a slot frees, in whole seconds, for longer windows", () => {
    const limiter = new SlidingWindowRateLimiter(1, 60_000);
    limiter.take("a", 0);
    expect(limiter.take("a", 10_000)).toMatchObject({ allowed: false, retryAfterSeconds: 50, resetSeconds: 50 });
  });

  it("keeps working past its compaction threshold", () => {
    const limiter = new SlidingWindowRateLimiter(3);
    for (let t = 0; t < 5_000; t++) limiter.take("a", t * 400);
    expect(limiter.take("a", 5_000 * 400 - 1)).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.take("a", 5_000 * 400)).toMatchObject({ allowed: false });
  });

  it("refuses a limit that is not a positive integer", () => {
    expect(() => new SlidingWindowRateLimiter(0)).toThrow(RangeError);
    expect(() => new SlidingWindowRateLimiter(1.5)).toThrow(RangeError);
  });
});

describe("sender domains", () => {
  it("reads the domain of plain and named addresses", () => {
    expect(senderDomain("a@Example.COM")).toBe("example.com");
    expect(senderDomain("Profile Notify <notifications@mail.acme.com>")).toBe("mail.acme.com");
    expect(senderDomain('"Odd <name>" <x@acme.com.>')).toBe("acme.com");
  });

  it("answers Resend's 403 only for unverified domains", () => {
    expect(unverifiedSender("a@acme.com", ["acme.com"])).toBeNull();
    expect(unverifiedSender("a@acme.com", [])).toMatchObject({
      statusCode: 403,
      name: "validation_error",
      message: expect.stringMatching(/^The acme\.com domain is not verified\..*verified here: none\)$/),
    });
  });
});
