import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";
import type { TrustedProxies } from "@acme/config";
import { canonicalAddress } from "@acme/egress";

/** Set by our own HTTP front (the app's server, the API's Node handler) and by nothing else. */
export const CLIENT_ADDRESS_HEADER = "x-client-address";

// Same process, possibly another copy of this module (Next bundles its own): a global, not a variable.
const front = globalThis as typeof globalThis & { __profileNotifyFront?: boolean };

function forwardedChain(forwardedFor: string | string[] | undefined): string[] {
  return [forwardedFor ?? []]
    .flat()
    .flatMap((value) => value.split(","))
    .map((part) => part.trim())
    .filter(Boolean);
}

function inList(address: string, list: BlockList): boolean {
  const canonical = canonicalAddress(address);
  return canonical !== null && list.check(canonical, isIP(canonical) === 6 ? "ipv6" : "ipv4");
}

function trustList(addresses: string[]): BlockList {
  const list = new BlockList();
  for (const entry of addresses) {
    const [address, prefix] = entry.split("/");
    const family = isIP(address!) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address!, family);
    else list.addSubnet(address!, Number(prefix), family);
  }
  return list;
}

/**
 * The client's address: the socket's peer unless proxies are trusted, then the entry of
 * X-Forwarded-For that the outermost trusted proxy saw. Null when that entry is not an address.
 */
export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: TrustedProxies,
): string | null {
  const chain = [...forwardedChain(forwardedFor), ...(socketAddress ? [socketAddress] : [])];
  let chosen: string | undefined;
  if (trusted.mode === "none") chosen = socketAddress;
  else if (trusted.mode === "hops") chosen = chain[Math.max(0, chain.length - 1 - trusted.hops)];
  else {
    const list = trustList(trusted.addresses);
    // From the socket outwards, each trusted proxy vouches for the hop before it.
    let index = chain.length - 1;
    while (index > 0 && inList(chain[index]!, list)) index -= 1;
    chosen = chain[index];
  }
  return chosen ? canonicalAddress(chosen) : null;
}

/** Our front: replaces whatever the client sent in CLIENT_ADDRESS_HEADER with the address the rule gives. */
export function applyClientAddress(req: IncomingMessage, trusted: TrustedProxies): void {
  front.__profileNotifyFront = true;
  const address = resolveClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted);
  if (address) req.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete req.headers[CLIENT_ADDRESS_HEADER];
}

/**
 * The address our front recorded, or null when the process has no front (e.g. a bare `next start`):
 * then the header could have come from the client.
 */
export function readClientAddress(headers: Headers): string | null {
  if (!front.__profileNotifyFront) return null;
  const value = headers.get(CLIENT_ADDRESS_HEADER);
  return value && isIP(value) ? value : null;
}
