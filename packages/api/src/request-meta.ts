/** Where a request came from, as recorded on account events and shown to the user. */
export interface RequestMeta {
  ipAddress: string | null;
  userAgent: string | null;
}

export function requestMetaFromHeaders(headers: Headers): RequestMeta {
  // The right-most hop is the one our own proxy (or Next.js, from the socket) added; earlier
  // entries come from the client and can say anything.
  const forwarded = headers
    .get("x-forwarded-for")
    ?.split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .at(-1);
  return { ipAddress: forwarded || headers.get("x-real-ip"), userAgent: headers.get("user-agent") };
}
