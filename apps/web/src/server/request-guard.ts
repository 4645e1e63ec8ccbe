import { loopbackAliases } from "@acme/auth/origins";
import type { RequestPolicyConfig } from "@acme/config";

/** Methods each part of the app answers; anything else is 405 with Allow. */
export function allowedMethods(pathname: string): string[] {
  if (pathname.startsWith("/api/inngest")) return ["GET", "POST", "PUT"];
  // Next.js's own endpoints (the dev overlay posts stack frames).
  if (pathname.startsWith("/_next/") || pathname.startsWith("/__nextjs")) return ["GET", "HEAD", "POST"];
  if (pathname.startsWith("/api/")) return ["GET", "POST", "OPTIONS"];
  return ["GET", "HEAD"];
}

/** The origins whose pages may write with the session cookie. */
export function ownOrigins(policy: RequestPolicyConfig): string[] {
  return [policy.appUrl, ...loopbackAliases(policy.appUrl), ...policy.trustedOrigins];
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Why a state-changing request riding on the session cookie must be refused as cross-site, or
 * null. Bearer clients carry no cookie the browser could attach, so they are not asked.
 */
export function crossSiteRefusal(request: { method: string; headers: Headers }, ownOrigins: string[]): string | null {
  if (SAFE.has(request.method)) return null;
  const headers = request.headers;
  if (/^bearer\s/i.test(headers.get("authorization") ?? "")) return null;
  if (!/(?:^|;\s*)(?:__Secure-)?better-auth\.session_token=/.test(headers.get("cookie") ?? "")) return null;
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return `Sec-Fetch-Site: ${fetchSite}`;
  const origin = headers.get("origin");
  if (origin && !ownOrigins.includes(origin)) return `Origin ${origin}`;
  return null;
}
