import { lookup as dnsLookup } from "node:dns/promises";
import { canonicalAddress, isPublicAddress } from "./address";

/** Where push messages may be sent. */
export interface PushEndpointPolicy {
  /** Host names, exact or `*.suffix` (@acme/config: the public push services plus PUSH_ALLOWED_HOSTS). */
  allowedHosts: string[];
  /** Origins of local test push services (PUSH_LOCAL_ORIGINS): exempt from the address rules. */
  localOrigins: string[];
}

export class PushEndpointRefused extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "PushEndpointRefused";
  }
}

function hostAllowed(host: string, patterns: string[]): boolean {
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith("*.") ? host.endsWith(p.slice(1)) && host.length > p.length - 1 : host === p;
  });
}

function normalizedOrigin(origin: string): string | null {
  try {
    return new URL(origin).origin;
  } catch {
    return null;
  }
}

/**
 * The endpoint in one canonical spelling (lower-case host, default port dropped, no fragment), or
 * PushEndpointRefused saying why it may not be used. Checks what the URL says; addresses a name
 * resolves to are checked by resolvePushEndpoint and again at connect time by the guarded agent.
 */
export function normalizePushEndpoint(endpoint: string, policy: PushEndpointPolicy): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new PushEndpointRefused("endpoint must be a URL");
  }
  if (url.protocol !== "https:") throw new PushEndpointRefused("endpoint must be an https URL");
  if (url.username || url.password) throw new PushEndpointRefused("endpoint must not contain credentials");
  url.hash = "";
  if (isLocalOrigin(url.origin, policy)) return url.href;
  const host = url.hostname.toLowerCase();
  const literal = canonicalAddress(host);
  if (literal !== null && !isPublicAddress(literal))
    throw new PushEndpointRefused("endpoint must not point at a private, loopback or reserved address");
  if (!hostAllowed(host, policy.allowedHosts))
    throw new PushEndpointRefused(`endpoint host ${host} is not a known push service`);
  return url.href;
}

export function isLocalOrigin(origin: string, policy: PushEndpointPolicy): boolean {
  const wanted = normalizedOrigin(origin);
  return wanted !== null && policy.localOrigins.some((local) => normalizedOrigin(local) === wanted);
}

/** Whether `host` is the host of a configured local test push service. */
export function isLocalHost(host: string, policy: PushEndpointPolicy): boolean {
  const wanted = host.toLowerCase().replace(/^\[|\]$/g, "");
  return policy.localOrigins.some((local) => {
    try {
      return new URL(local).hostname.toLowerCase().replace(/^\[|\]$/g, "") === wanted;
    } catch {
      return false;
    }
  });
}

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

/** Every address `host` resolves to, refused if any of them is not public (a local service's host excepted). */
export async function vettedAddresses(
  host: string,
  policy: PushEndpointPolicy,
  lookup: Lookup = systemLookup,
): Promise<{ address: string; family: number }[]> {
  const bare = host.replace(/^\[|\]$/g, "");
  const addresses = canonicalAddress(bare)
    ? [{ address: bare, family: bare.includes(":") ? 6 : 4 }]
    : await lookup(bare);
  if (isLocalHost(bare, policy)) return addresses;
  if (addresses.length === 0) throw new PushEndpointRefused(`endpoint host ${bare} does not resolve`);
  const bad = addresses.find((entry) => !isPublicAddress(entry.address));
  if (bad) throw new PushEndpointRefused(`endpoint host ${bare} resolves to a non-public address (${bad.address})`);
  return addresses;
}

/** The whole check: URL rules, then DNS. Returns the normalised endpoint. */
export async function checkPushEndpoint(
  endpoint: string,
  policy: PushEndpointPolicy,
  lookup: Lookup = systemLookup,
): Promise<string> {
  const normalized = normalizePushEndpoint(endpoint, policy);
  const url = new URL(normalized);
  // A configured local service is trusted as named; everything else must resolve to public addresses.
  if (!isLocalOrigin(url.origin, policy)) await vettedAddresses(url.hostname, policy, lookup);
  return normalized;
}
