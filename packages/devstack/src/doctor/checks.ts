import {
  LOCAL_RESEND_KEY_PREFIX,
  preflight,
  senderDomain,
  type DevstackConfig,
  type PreflightFinding,
} from "@acme/config";

/**
 * The preflight for what the operator configured (before the dev stack fills in its embedded
 * pieces), plus, when the network allows, Resend's own word on the sender domain.
 */
export async function runDoctor(
  env: Record<string, string | undefined>,
  config: DevstackConfig,
  fetchImpl: typeof fetch = fetch,
): Promise<PreflightFinding[]> {
  const findings = preflight({
    env,
    embeddedMailbox: config.mailbox.embedded,
    embeddedExecutor: config.executor.embedded,
    embeddedDatabase: !config.database.external,
  });
  const key = env.RESEND_API_KEY;
  const domain = env.EMAIL_FROM ? senderDomain(env.EMAIL_FROM) : null;
  const emailErrors = findings.some((f) => f.variable === "EMAIL_FROM" && f.level === "error");
  if (key && !key.startsWith(LOCAL_RESEND_KEY_PREFIX) && domain && !emailErrors) {
    findings.push(
      ...(await checkResendDomain(key, env.RESEND_BASE_URL ?? "https://api.resend.com", domain, fetchImpl)),
    );
  }
  return findings;
}

interface ResendDomain {
  name: string;
  status: string;
}

/** Asks Resend (`GET /domains`) whether the sender's domain is verified for this key. */
export async function checkResendDomain(
  apiKey: string,
  baseUrl: string,
  domain: string,
  fetchImpl: typeof fetch = fetch,
): Promise<PreflightFinding[]> {
  let response: Response;
  try {
    response = await fetchImpl(`${baseUrl.replace(/\/+$/, "")}/domains`, {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(5_000),
    });
  } catch {
    return [
      { level: "warning", variable: "EMAIL_FROM", message: `could not reach Resend to confirm ${domain} is verified` },
    ];
  }
  if (response.status === 401 || response.status === 403) {
    const body = (await response.json().catch(() => ({}))) as { name?: string };
    if (body.name === "restricted_api_key") {
      return [
        {
          level: "warning",
          variable: "RESEND_API_KEY",
          message: `is a sending-only key: it cannot list domains, so ${domain} could not be confirmed`,
        },
      ];
    }
    return [{ level: "error", variable: "RESEND_API_KEY", message: `Resend refused the key (${response.status})` }];
  }
  if (!response.ok) {
    return [
      { level: "warning", variable: "EMAIL_FROM", message: `Resend answered ${response.status} to GET /domains` },
    ];
  }
  const { data } = (await response.json()) as { data?: ResendDomain[] };
  const match = data?.find((d) => d.name.toLowerCase() === domain);
  if (!match) {
    return [{ level: "error", variable: "EMAIL_FROM", message: `${domain} is not a domain of this Resend account` }];
  }
  if (match.status !== "verified") {
    return [
      { level: "error", variable: "EMAIL_FROM", message: `${domain} is ${match.status} in Resend, not verified` },
    ];
  }
  return [];
}

export function formatFindings(findings: PreflightFinding[]): string {
  return findings.map((f) => `  ${f.level === "error" ? "✗" : "!"} ${f.variable} ${f.message}`).join("\n");
}
