// `pnpm doctor` / `pnpm start`'s preflight: what would make production misbehave, named by variable.
// Pure: the caller passes the environment (and the provider's answer, when it could ask).

import { LOCAL_RESEND_KEY_PREFIX } from "./server";

export interface PreflightFinding {
  level: "error" | "warning";
  variable: string;
  message: string;
}

/** What the operator configured, and which pieces the dev stack embeds (a local demo). */
export interface PreflightInput {
  env: Record<string, string | undefined>;
  /** Whether the email provider is the local mailbox (no real RESEND_API_KEY). */
  embeddedMailbox: boolean;
  embeddedExecutor: boolean;
  embeddedDatabase: boolean;
}

const DEV_SECRET = "dev-only-secret-change-me-dev-only-secret";
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
// Domains that can never be a real sender or contact (RFC 2606, RFC 6761 and friends).
const PLACEHOLDER_DOMAIN = /(^|\.)(example\.(com|org|net)|localhost|local|test|invalid|example|internal)$/i;

export function isPlaceholderDomain(domain: string): boolean {
  return PLACEHOLDER_DOMAIN.test(domain.toLowerCase());
}

/** The domain of an address written as `a@b.c` or `Name <a@b.c>`. */
export function senderDomain(from: string): string | null {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const at = address.lastIndexOf("@");
  return at > 0
    ? address
        .slice(at + 1)
        .trim()
        .toLowerCase()
    : null;
}

function strongSecret(secret: string): boolean {
  return secret.length >= 32 && secret !== DEV_SECRET && new Set(secret).size >= 10;
}

export function preflight({
  env,
  embeddedMailbox,
  embeddedExecutor,
  embeddedDatabase,
}: PreflightInput): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  const error = (variable: string, message: string) => findings.push({ level: "error", variable, message });
  const warn = (variable: string, message: string) => findings.push({ level: "warning", variable, message });
  const realEmail = !embeddedMailbox && !!env.RESEND_API_KEY && !env.RESEND_API_KEY.startsWith(LOCAL_RESEND_KEY_PREFIX);
  const appUrl = env.APP_URL ? new URL(env.APP_URL) : null;
  const publicApp = appUrl !== null && !LOOPBACK.has(appUrl.hostname);
  // Anything that reaches real people or runs on a public address must be configured for real.
  const deployed = realEmail || publicApp || !embeddedExecutor;

  const secret = env.BETTER_AUTH_SECRET;
  if (secret && !strongSecret(secret)) {
    error("BETTER_AUTH_SECRET", "is weak: use at least 32 random characters (e.g. `openssl rand -base64 32`)");
  } else if (!secret && deployed) {
    error("BETTER_AUTH_SECRET", "is required outside a local demo (sessions are signed with it)");
  }

  if (appUrl && publicApp && appUrl.protocol !== "https:") {
    error("APP_URL", `${env.APP_URL} is not https: cookies would travel in clear and browsers refuse web push on it`);
  }

  if (realEmail) {
    const from = env.EMAIL_FROM;
    const domain = from ? senderDomain(from) : null;
    if (!from) {
      error(
        "EMAIL_FROM",
        "must be set with a real RESEND_API_KEY: the default sender is on example.com, which Resend refuses",
      );
    } else if (!domain) {
      error("EMAIL_FROM", `"${from}" has no address (use "Name <notifications@your-domain>")`);
    } else if (isPlaceholderDomain(domain)) {
      error("EMAIL_FROM", `is on ${domain}, which can never be verified with Resend: every email would fail`);
    }
  }

  const vapidSubject = env.VAPID_SUBJECT;
  const realPush = !!env.VAPID_PUBLIC_KEY && !!env.VAPID_PRIVATE_KEY;
  if (deployed || realPush) {
    const problem = vapidSubjectProblem(vapidSubject);
    if (problem) error("VAPID_SUBJECT", problem);
  }
  if (deployed && !realPush) {
    warn(
      "VAPID_PUBLIC_KEY",
      "is not set: keys are generated into the data folder; keep them stable or every subscription breaks",
    );
  }

  if (!embeddedExecutor) {
    const dev = env.INNGEST_DEV;
    if (dev && dev !== "0" && deployed) {
      warn("INNGEST_DEV", "runs the SDK in dev mode: calls to /api/inngest are not signature-checked");
    } else if (!dev || dev === "0") {
      if (!env.INNGEST_EVENT_KEY) error("INNGEST_EVENT_KEY", "is required for Inngest Cloud or a self-hosted Inngest");
      if (!env.INNGEST_SIGNING_KEY)
        error("INNGEST_SIGNING_KEY", "is required for Inngest Cloud or a self-hosted Inngest");
      else if (!/^signkey-[a-z]+-[0-9a-f]{32,}$/i.test(env.INNGEST_SIGNING_KEY)) {
        error("INNGEST_SIGNING_KEY", "does not look like an Inngest signing key (signkey-<env>-<hex>)");
      }
    }
  }

  if (embeddedDatabase && deployed) {
    warn(
      "DATABASE_URL",
      "is not set: data lives in the embedded PostgreSQL under the data folder; use an external PostgreSQL",
    );
  }
  return findings;
}

/** Why a VAPID `sub` would be refused (Apple's push service answers 403 BadJwtToken), or null. */
export function vapidSubjectProblem(subject: string | undefined): string | null {
  if (!subject) return "is not set: push services need a real mailto: or https: contact (Apple refuses a missing one)";
  if (subject.startsWith("mailto:")) {
    const domain = senderDomain(subject.slice("mailto:".length));
    if (!domain) return `"${subject}" has no address`;
    if (isPlaceholderDomain(domain))
      return `"${subject}" is not a real contact (Apple's push service refuses ${domain})`;
    return null;
  }
  if (subject.startsWith("https://")) {
    const host = new URL(subject).hostname;
    return LOOPBACK.has(host) || isPlaceholderDomain(host) ? `"${subject}" is not a public contact URL` : null;
  }
  return `"${subject}" must be a mailto: address or an https: URL`;
}
