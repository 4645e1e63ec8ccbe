import type { IncomingHttpHeaders } from "node:http";

export type Urgency = "very-low" | "low" | "normal" | "high";

export interface PushHeaders {
  /** TTL as sent (RFC 8030 §5.2), in seconds. */
  ttl: number;
  /** What the service keeps it for and says back in the response's TTL header. */
  retainedTtl: number;
  urgency: Urgency;
  topic: string | null;
}

const URGENCIES: readonly string[] = ["very-low", "low", "normal", "high"];
const TOPIC = /^[A-Za-z0-9_-]{1,32}$/;
/** FCM keeps a message at most 4 weeks; RFC 8030 lets a service shorten the TTL and say so. */
export const MAX_TTL_SECONDS = 28 * 24 * 60 * 60;

/** RFC 8030 §5.2–5.4: TTL is required, Urgency and Topic are checked when present. */
export function parsePushHeaders(
  headers: IncomingHttpHeaders,
): { ok: true; value: PushHeaders } | { ok: false; message: string } {
  const ttlHeader = headers.ttl;
  if (ttlHeader === undefined) return { ok: false, message: "Missing TTL header." };
  const ttl = Number(ttlHeader);
  if (!/^\d+$/.test(String(ttlHeader)) || !Number.isSafeInteger(ttl)) {
    return { ok: false, message: "Invalid TTL header: a number of seconds is expected." };
  }
  const urgency = headers.urgency ?? "normal";
  if (typeof urgency !== "string" || !URGENCIES.includes(urgency)) {
    return { ok: false, message: `Invalid Urgency header: ${String(urgency)} (very-low, low, normal or high).` };
  }
  const topic = headers.topic;
  if (topic !== undefined && (typeof topic !== "string" || !TOPIC.test(topic))) {
    return { ok: false, message: "Topic must be 1 to 32 characters of the URL-safe base64 alphabet." };
  }
  return {
    ok: true,
    value: { ttl, retainedTtl: Math.min(ttl, MAX_TTL_SECONDS), urgency: urgency as Urgency, topic: topic ?? null },
  };
}
