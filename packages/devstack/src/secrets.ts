import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import webpush from "web-push";
import { LOCAL_RESEND_KEY_PREFIX } from "@acme/config";

export interface LocalSecrets {
  authSecret: string;
  /** Signs the embedded executor's calls to the app in `--prod` (Inngest's key format). */
  inngestSigningKey: string;
  /** The key the app sends events with; the embedded executor accepts no other in `--prod`. */
  inngestEventKey: string;
  /** The only key the local mailbox accepts; the app gets it as RESEND_API_KEY. */
  mailboxApiKey: string;
  vapidPublicKey: string;
  vapidPrivateKey: string;
}

/**
 * Secrets for the embedded default, generated once and kept (git-ignored) so sessions and
 * push subscriptions survive restarts. Production passes them as env vars instead. A file
 * from an older version gets the secrets it lacks added, and keeps the ones it has.
 */
export function loadOrCreateSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, "secrets.json");
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<LocalSecrets>) : {};
  const vapid =
    stored.vapidPublicKey && stored.vapidPrivateKey
      ? { publicKey: stored.vapidPublicKey, privateKey: stored.vapidPrivateKey }
      : webpush.generateVAPIDKeys();
  const secrets: LocalSecrets = {
    authSecret: stored.authSecret ?? randomBytes(32).toString("base64url"),
    inngestSigningKey: stored.inngestSigningKey ?? `signkey-prod-${randomBytes(32).toString("hex")}`,
    inngestEventKey: stored.inngestEventKey ?? randomBytes(32).toString("base64url"),
    // The prefix tells @acme/config that this key belongs to the local mailbox.
    mailboxApiKey: stored.mailboxApiKey ?? `${LOCAL_RESEND_KEY_PREFIX}_${randomBytes(16).toString("hex")}`,
    vapidPublicKey: vapid.publicKey,
    vapidPrivateKey: vapid.privateKey,
  };
  if (Object.keys(secrets).some((key) => stored[key as keyof LocalSecrets] === undefined)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
