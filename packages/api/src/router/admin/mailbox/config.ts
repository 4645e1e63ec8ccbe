/** Where sent email can be read back: the local Resend-compatible mailbox, or nowhere we can list. */
export type MailboxConfig =
  | { mode: "local"; baseUrl: string; apiKey: string }
  | { mode: "resend" }
  | { mode: "unconfigured" };

/** A real Resend key means mail really leaves; otherwise RESEND_BASE_URL names the local mailbox. */
export function mailboxConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MailboxConfig {
  const apiKey = env.RESEND_API_KEY;
  if (apiKey && !apiKey.startsWith("re_local")) return { mode: "resend" };
  const baseUrl = env.RESEND_BASE_URL;
  if (!baseUrl) return { mode: "unconfigured" };
  // The mailbox wants some bearer token even when it checks none.
  return { mode: "local", baseUrl: baseUrl.replace(/\/+$/, ""), apiKey: apiKey || "re_local_admin" };
}
