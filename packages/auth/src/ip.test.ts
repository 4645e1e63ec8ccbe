import { describe, expect, it } from "vitest";
import { resolveClientAddress } from "./ip";

describe("resolveClientAddress", () => {
  it("uses the socket's peer and ignores X-Forwarded-For when no proxy is trusted", () => {
    expect(resolveClientAddress("198.51.100.9", "203.0.113.77", { mode: "none" })).toBe("198.51.100.9");
    expect(resolveClientAddress("::ffff:127.0.0.1", "203.0.113.77, 10.0.0.1", { mode: "none" })).toBe("127.0.0.1");
  });

  it("believes as many hops as configured, no more", () => {
    const xff = "203.0.113.77, 198.51.100.20";
    expect(resolveClientAddress("10.0.0.2", xff, { mode: "hops", hops: 1 })).toBe("198.51.100.20");
    expect(resolveClientAddress("10.0.0.2", xff, { mode: "hops", hops: 2 })).toBe("203.0.113.77");
    expect(resolveClientAddress("10.0.0.2", xff, { mode: "hops", hops: 5 })).toBe("203.0.113.77");
    expect(resolveClientAddress("10.0.0.2", undefined, { mode: "hops", hops: 1 })).toBe("10.0.0.2");
  });

  it("walks past trusted proxy addresses only", () => {
    const trusted = { mode: "addresses" as const, addresses: ["10.0.0.0/8", "::1"] };
    // The client forged the first entry; the proxy at 10.0.0.3 appended the real one.
    expect(resolveClientAddress("10.0.0.2", "203.0.113.77, 198.51.100.20, 10.0.0.3", trusted)).toBe("198.51.100.20");
    // A direct connection from an untrusted peer: its forwarded header is not believed.
    expect(resolveClientAddress("198.51.100.4", "203.0.113.77", trusted)).toBe("198.51.100.4");
  });

  it("gives null rather than a header's garbage", () => {
    expect(resolveClientAddress("10.0.0.2", "Call 555-0100", { mode: "hops", hops: 1 })).toBeNull();
  });
});
