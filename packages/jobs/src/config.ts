export interface VapidConfig {
  publicKey: string;
  privateKey: string;
  /** mailto: or https: contact the push service can reach the sender at. */
  subject: string;
}

export interface JobsConfig {
  appUrl: string;
  supportUrl: string;
  emailFrom: string;
  resendApiKey: string;
  /** Unset for the real Resend API; the local mailbox's URL in the embedded default. */
  resendBaseUrl: string | undefined;
  vapid: VapidConfig | null;
  pushTtlSeconds: number;
}

export function readJobsConfig(env: NodeJS.ProcessEnv = process.env): JobsConfig {
  const appUrl = env.APP_URL ?? `http://localhost:${env.PORT ?? 3000}`;
  const { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey } = env;
  return {
    appUrl,
    supportUrl: env.SUPPORT_URL ?? `${appUrl}/support`,
    emailFrom: env.EMAIL_FROM ?? "Profile Notify <notifications@example.com>",
    resendApiKey: env.RESEND_API_KEY ?? "re_local_mailbox",
    resendBaseUrl: env.RESEND_BASE_URL,
    vapid: publicKey && privateKey ? { publicKey, privateKey, subject: env.VAPID_SUBJECT ?? "mailto:support@example.com" } : null,
    pushTtlSeconds: Number(env.PUSH_TTL_SECONDS ?? 24 * 60 * 60),
  };
}
