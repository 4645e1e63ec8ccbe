// Request signing (X-Inngest-Signature), as verified by the SDK in cloud mode.
import { createHmac } from "node:crypto";

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
