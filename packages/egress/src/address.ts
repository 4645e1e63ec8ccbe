import { BlockList, isIP } from "node:net";

// Addresses an outbound request must never reach: this host, private networks, link-local (cloud
// metadata), CGNAT, multicast, unspecified, documentation/benchmark and reserved ranges.
const NOT_PUBLIC: [string, number, "ipv4" | "ipv6"][] = [
  ["0.0.0.0", 8, "ipv4"],
  ["10.0.0.0", 8, "ipv4"],
  ["100.64.0.0", 10, "ipv4"],
  ["127.0.0.0", 8, "ipv4"],
  ["169.254.0.0", 16, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.0.0.0", 24, "ipv4"],
  ["192.0.2.0", 24, "ipv4"],
  ["192.88.99.0", 24, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["198.18.0.0", 15, "ipv4"],
  ["198.51.100.0", 24, "ipv4"],
  ["203.0.113.0", 24, "ipv4"],
  ["224.0.0.0", 4, "ipv4"],
  ["240.0.0.0", 4, "ipv4"],
  ["::", 128, "ipv6"],
  ["::1", 128, "ipv6"],
  // NAT64, IPv4-compatible, 6to4 and Teredo embed IPv4 addresses that could be private.
  ["::", 96, "ipv6"],
  ["64:ff9b::", 96, "ipv6"],
  ["64:ff9b:1::", 48, "ipv6"],
  ["100::", 64, "ipv6"],
  ["2001::", 32, "ipv6"],
  ["2001:db8::", 32, "ipv6"],
  ["2002::", 16, "ipv6"],
  ["fc00::", 7, "ipv6"],
  ["fe80::", 10, "ipv6"],
  ["fec0::", 10, "ipv6"],
  ["ff00::", 8, "ipv6"],
];

const notPublic = new BlockList();
for (const [network, prefix, family] of NOT_PUBLIC) notPublic.addSubnet(network, prefix, family);

const IPV4_MAPPED = /^::ffff:(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i;
const IPV4_MAPPED_HEX = /^::ffff:(?:0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/** An IP literal without brackets and with IPv4-mapped IPv6 turned into the IPv4 it carries. */
export function canonicalAddress(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, "").toLowerCase();
  const dotted = IPV4_MAPPED.exec(bare);
  if (dotted) return dotted[1]!;
  const hex = IPV4_MAPPED_HEX.exec(bare);
  if (hex) {
    const value = (parseInt(hex[1]!, 16) << 16) | parseInt(hex[2]!, 16);
    return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
  }
  return isIP(bare) ? bare : null;
}

/** True only for a unicast address on the public internet. */
export function isPublicAddress(address: string): boolean {
  const canonical = canonicalAddress(address);
  if (!canonical) return false;
  return !notPublic.check(canonical, isIP(canonical) === 4 ? "ipv4" : "ipv6");
}
