import { createHmac, timingSafeEqual } from "node:crypto";

// Server-only (node:crypto): imported as "@acme/validators/secure-link" by the API, which checks the
// links, and the jobs, which put them in notifications; never from the index that forms import.

/**
 * The token of a change's "this wasn't me" link: `<changeId>.<HMAC(key, changeId)>`. Nothing of it
 * is stored: only the server key can produce the signature, and the link's state (used, expired)
 * lives on the change, so a database reader learns nothing that opens the link.
 */
export function signSecureLinkToken(key: string, changeId: string): string {
  return `${changeId}.${mac(key, changeId)}`;
}

/** The change a token was signed for, or null when it is malformed or its signature is wrong. */
export function readSecureLinkToken(key: string, token: string): string | null {
  const match = /^([a-z0-9]{1,64})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const [, changeId, signature] = match as unknown as [string, string, string];
  const expected = Buffer.from(mac(key, changeId));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? changeId : null;
}

/** In the fragment: browsers never send it, so no server, proxy or Referer header ever logs it. */
export function secureLinkUrl(appUrl: string, token: string): string {
  return `${appUrl}/secure#${token}`;
}

function mac(key: string, changeId: string): string {
  return createHmac("sha256", key).update(`secure-link:v1:${changeId}`).digest("base64url");
}
