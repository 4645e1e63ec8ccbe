import { NextResponse, type NextRequest } from "next/server";
import { loadRequestPolicyConfig } from "@acme/config";
import { allowedMethods, crossSiteRefusal, ownOrigins } from "~/server/request-guard";
import { contentSecurityPolicy, createNonce, securityHeaders } from "~/server/security-headers";

// Read once per process: the origins whose pages may write with the session cookie.
const policy = loadRequestPolicyConfig();
const origins = ownOrigins(policy);

function refuse(status: 403 | 405, message: string, headers: Record<string, string>) {
  return NextResponse.json({ error: { message } }, { status, headers });
}

/** Every request: methods each route answers, no cross-site cookie writes, security headers with a fresh CSP nonce. */
export function proxy(request: NextRequest) {
  const nonce = createNonce();
  const headers = securityHeaders(contentSecurityPolicy(nonce, !policy.production));
  const { pathname } = request.nextUrl;
  const allowed = allowedMethods(pathname);
  if (!allowed.includes(request.method))
    return refuse(405, `${request.method} is not supported here`, { ...headers, allow: allowed.join(", ") });
  // better-auth checks origins on its own endpoints; the Inngest endpoint is signed, not cookie-authenticated.
  if (pathname.startsWith("/api/trpc")) {
    const refusal = crossSiteRefusal(request, origins);
    if (refusal) return refuse(403, `Cross-site request refused (${refusal})`, headers);
  }
  // Next.js reads the nonce from the request's CSP and puts it on the scripts it renders.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", headers["content-security-policy"]!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Static build output carries the fixed headers from next.config.ts; everything rendered or answered passes here.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
