import { readClientAddress } from "@acme/auth/ip";

/** Where a request came from, as recorded on account events and shown to the user. */
export interface RequestMeta {
  ipAddress: string | null;
  userAgent: string | null;
}

export function requestMetaFromHeaders(headers: Headers): RequestMeta {
  // The address our front resolved from the socket (and trusted proxies), never a client's header.
  return { ipAddress: readClientAddress(headers), userAgent: headers.get("user-agent") };
}
