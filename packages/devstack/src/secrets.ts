import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import webpush from "web-push";

export interface LocalSecrets {
  authSecret: string;
  /** Signs the embedded executor's calls to the app in `--prod` (Inngest's key format). */
  inngestSigningKey?: string;
  vapidPublicKey: string;
  vapidPrivateKey: string;
}

/**
 * Secrets for the embedded default, generated once and kept (git-ignored) so sessions and
 * push subscriptions survive restarts. Production passes them as env vars instead.
 */
export function loadOrCreateSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as LocalSecrets;
    if (stored.inngestSigningKey) return stored;
    const upgraded = { ...stored, inngestSigningKey: newSigningKey() };
    writeFileSync(file, JSON.stringify(upgraded, null, 2), { mode: 0o600 });
    return upgraded;
  }
  const vapid = webpush.generateVAPIDKeys();
  const secrets: LocalSecrets = {
    authSecret: randomBytes(32).toString("base64url"),
    inngestSigningKey: newSigningKey(),
    vapidPublicKey: vapid.publicKey,
    vapidPrivateKey: vapid.privateKey,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

function newSigningKey(): string {
  return `signkey-prod-${randomBytes(32).toString("hex")}`;
}
