import { isIP } from "node:net";

/**
 * How the VAPID `sub` claim is judged. "uri": RFC 8292 §2.1, a mailto: or https: URI.
 * "contact": also a contact someone could reach, as Apple's push service demands (403
 * BadJwtToken for `mailto:x@localhost`, `https://localhost`, `.local` hosts): no loopback,
 * IP literal, or name reserved for examples and testing (RFC 2606, RFC 6761).
 */
export type SubjectPolicy = "contact" | "uri";

const RESERVED_SUFFIXES = [".localhost", ".local", ".test", ".example", ".invalid", ".internal", ".home.arpa"];
const EXAMPLE_DOMAINS = ["example.com", "example.net", "example.org"];
const HOSTNAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const MAILTO = /^mailto:([^@\s]+)@([^@\s?]+)$/i;

/** Why the subject would be refused, or null when it is accepted. */
export function subjectProblem(subject: string, policy: SubjectPolicy): string | null {
  const mailto = MAILTO.exec(subject);
  let host: string;
  if (mailto?.[2]) host = mailto[2];
  else if (subject.startsWith("https:")) {
    try {
      host = new URL(subject).hostname;
    } catch {
      return "VAPID JWT `sub` is not a valid https: URL.";
    }
  } else return "VAPID JWT `sub` must be a mailto: or https: URI.";
  if (policy === "uri") return null;

  const name = host
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
  const reserved =
    isIP(name) !== 0 ||
    name === "localhost" ||
    !HOSTNAME.test(name) ||
    RESERVED_SUFFIXES.some((suffix) => `.${name}`.endsWith(suffix)) ||
    EXAMPLE_DOMAINS.some((domain) => name === domain || name.endsWith(`.${domain}`));
  return reserved ? `VAPID JWT \`sub\` is not a reachable contact (${name}).` : null;
}
