import { createHash } from "node:crypto";
import type { Agent } from "node:https";
import webpush, { WebPushError } from "web-push";
import { createGuardedAgent, normalizePushEndpoint, PushEndpointRefused } from "@acme/egress";
import type { PushPayload } from "@acme/validators";
import type { JobDeps } from "../deps";
import type { SendResult } from "./result";

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/**
 * A push topic (≤ 32 URL-safe chars) per change: a retried send replaces an undelivered
 * earlier one at the push service instead of showing twice.
 */
export function pushTopic(changeId: string): string {
  return createHash("sha256").update(changeId).digest("base64url").slice(0, 32);
}

export async function sendPushNotification(
  deps: JobDeps,
  target: PushTarget,
  payload: PushPayload,
  topic: string,
): Promise<SendResult> {
  const vapid = deps.config.push.vapid;
  if (!vapid)
    return {
      ok: false,
      status: 400,
      retryAfter: null,
      message: "Web push is not configured (VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY)",
    };
  const policy = deps.config.security.pushEndpoints;
  try {
    // Checked again at send time: the rules may have tightened since the device subscribed.
    normalizePushEndpoint(target.endpoint, policy);
  } catch (error) {
    if (error instanceof PushEndpointRefused) return refusedEndpoint(error.message);
    throw error;
  }
  try {
    const response = await webpush.sendNotification(
      { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
      JSON.stringify(payload),
      {
        TTL: deps.config.push.ttlSeconds,
        urgency: "high",
        topic,
        // Signed once per push service and reused (below); without vapidDetails web-push signs nothing.
        headers: { Authorization: vapidAuthorization(target.endpoint, vapid) },
        timeout: 10_000,
        agent: guardedAgent(deps),
      },
    );
    return { ok: true, status: response.statusCode, providerMessageId: response.headers.location ?? null };
  } catch (error) {
    if (error instanceof WebPushError) {
      const headers = error.headers as Record<string, string | undefined>;
      return {
        ok: false,
        status: error.statusCode,
        retryAfter: headers["retry-after"] ?? null,
        message: `Push service answered ${error.statusCode}${error.body ? `: ${String(error.body).slice(0, 300)}` : ""}`,
      };
    }
    if (error instanceof PushEndpointRefused) return refusedEndpoint(error.message);
    const message = error instanceof Error ? error.message : String(error);
    // Node network errors carry a code; web-push's own checks (bad keys, bad endpoint) do not
    // and will fail the same way every time.
    const network = typeof (error as { code?: unknown }).code === "string" || /timeout/i.test(message);
    return network
      ? { ok: false, status: null, retryAfter: null, message: `Push service unreachable: ${message}` }
      : { ok: false, status: 400, retryAfter: null, message: `Push subscription rejected before sending: ${message}` };
  }
}

type Vapid = NonNullable<JobDeps["config"]["push"]["vapid"]>;

const VAPID_JWT_LIFETIME_S = 12 * 3600;
const VAPID_JWT_REUSE_MS = 3600_000;
const vapidJwts = new Map<string, { authorization: string; renewAt: number }>();

/**
 * The VAPID `Authorization` header for a push service, signed once and reused for an hour of its
 * 12 h life (RFC 8292 lets one JWT serve every request to that origin until it expires): an ES256
 * signature per send was a tenth of a push's CPU.
 */
export function vapidAuthorization(endpoint: string, vapid: Vapid, now = Date.now()): string {
  const audience = new URL(endpoint).origin;
  const key = `${audience} ${vapid.subject} ${vapid.publicKey}`;
  const cached = vapidJwts.get(key);
  if (cached && cached.renewAt > now) return cached.authorization;
  const expiration = Math.floor(now / 1000) + VAPID_JWT_LIFETIME_S;
  const { Authorization: authorization } = webpush.getVapidHeaders(
    audience,
    vapid.subject,
    vapid.publicKey,
    vapid.privateKey,
    "aes128gcm",
    expiration,
  );
  vapidJwts.set(key, { authorization, renewAt: now + VAPID_JWT_REUSE_MS });
  return authorization;
}

function refusedEndpoint(reason: string): SendResult {
  return { ok: false, status: 400, retryAfter: null, message: `Push endpoint refused: ${reason}` };
}

const agents = new WeakMap<JobDeps, Agent>();

/** One guarded agent per set of deps: connects only to vetted addresses, with the deps' TLS options (tests' CA). */
function guardedAgent(deps: JobDeps): Agent {
  let agent = agents.get(deps);
  if (!agent) {
    agent = createGuardedAgent(deps.config.security.pushEndpoints, { keepAlive: true, ...deps.pushAgent?.options });
    agents.set(deps, agent);
  }
  return agent;
}
