// Request signing (X-Inngest-Signature), as verified by the SDK in cloud mode.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** RFC 8785-style canonical JSON: the SDK canonicalizes the parsed body before verifying. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function signBody(body: string, signingKey: string, nowMs = Date.now()): string {
  const ts = Math.round(nowMs / 1000).toString();
  const key = signingKey.replace(/^signkey-[\w]+-/, "");
  const mac = createHmac("sha256", key).update(body).update(ts).digest("hex");
  return `t=${ts}&s=${mac}`;
}

const keyPrefix = /^signkey-\w+-/;

/** Strips the human-readable `signkey-<env>-` prefix, as Inngest does before comparing keys. */
export function normalizeSigningKey(key: string): string {
  return key.replace(keyPrefix, "");
}

/** True for a key Inngest can hash: hex after its prefix (self-hosted Inngest refuses others). */
export function isHexSigningKey(key: string): boolean {
  return /^(?:[0-9a-f]{2})+$/i.test(normalizeSigningKey(key));
}

/**
 * What the SDK sends as `Authorization: Bearer …`: the prefix, then SHA-256 of the key's bytes
 * (the hex decoded), in hex — the SDK's and Inngest's `hashSigningKey`.
 */
export function hashSigningKey(key: string): string {
  const prefix = keyPrefix.exec(key)?.[0] ?? "";
  return `${prefix}${createHash("sha256")
    .update(Buffer.from(normalizeSigningKey(key), "hex"))
    .digest("hex")}`;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks `Authorization: Bearer <token>` the way self-hosted Inngest does: the token, prefix
 * stripped, must equal the hashed signing key (what the SDK sends) or the key itself.
 */
export function bearerMatches(authorization: string | undefined, signingKey: string): boolean {
  const token = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? "")?.[1]?.trim();
  if (!token) return false;
  const given = normalizeSigningKey(token);
  return (
    safeEqual(given, normalizeSigningKey(hashSigningKey(signingKey))) ||
    safeEqual(given, normalizeSigningKey(signingKey))
  );
}

/** Constant-time comparison of an event key from the URL with the configured one. */
export function eventKeyMatches(given: string, eventKey: string): boolean {
  return safeEqual(given, eventKey);
}
