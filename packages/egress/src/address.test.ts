import { describe, expect, it } from "vitest";
import { canonicalAddress, isPublicAddress } from "./address";

describe("isPublicAddress", () => {
  it.each([
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.254",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "[::1]",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "::ffff:a9fe:a9fe",
    "64:ff9b::a00:1",
    "2002:7f00:1::",
    "not-an-ip",
  ])("refuses %s", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(["8.8.8.8", "142.250.74.106", "172.32.0.1", "100.128.0.1", "2607:f8b0:4004:c07::5f", "::ffff:8.8.8.8"])(
    "accepts %s",
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it("reads IPv4-mapped IPv6 as the IPv4 it carries", () => {
    expect(canonicalAddress("::FFFF:c0a8:0101")).toBe("192.168.1.1");
    expect(canonicalAddress("[::ffff:1.2.3.4]")).toBe("1.2.3.4");
  });
});
