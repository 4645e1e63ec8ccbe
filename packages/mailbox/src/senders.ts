import type { ResendErrorBody } from "./errors";

/**
 * The domain the local mailbox treats as verified unless told otherwise. `.test` is reserved
 * for testing (RFC 6761), so real Resend can never verify it: a sender on it works locally
 * and can never be mistaken for a deliverable production sender.
 */
export const LOCAL_SENDER_DOMAIN = "profile-notify.test";

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function normaliseDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, "");
}

/** Lower-cased, de-duplicated; throws on anything that is not a DNS name. */
export function parseVerifiedDomains(domains: readonly string[]): string[] {
  const normalised = [...new Set(domains.map(normaliseDomain))];
  const bad = normalised.filter((d) => !HOSTNAME.test(d));
  if (bad.length > 0) throw new RangeError(`verifiedDomains: not a domain name: ${bad.join(", ")}`);
  return normalised;
}

/** The address of `a@b.co` or `Name <a@b.co>`, unvalidated. */
export function bareAddress(value: string): string {
  return /<([^<>\s]+)>\s*$/.exec(value)?.[1] ?? value.trim();
}

/** The domain of `a@b.co` or `Name <a@b.co>`. */
export function senderDomain(from: string): string {
  const address = bareAddress(from);
  return normaliseDomain(address.slice(address.lastIndexOf("@") + 1));
}

/**
 * Resend's 403 for a sender on a domain the account has not verified. Only the exact domain
 * counts: verifying `acme.com` does not cover `mail.acme.com`, nor the other way round.
 */
export function unverifiedSender(from: string, verified: readonly string[]): ResendErrorBody | null {
  const domain = senderDomain(from);
  if (verified.includes(domain)) return null;
  return {
    statusCode: 403,
    name: "validation_error",
    message:
      `The ${domain} domain is not verified. Please, add and verify your domain on https://resend.com/domains` +
      ` (local mailbox; verified here: ${verified.join(", ") || "none"})`,
  };
}
