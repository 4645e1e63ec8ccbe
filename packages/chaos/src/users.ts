import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@acme/api";

export interface ChaosUser {
  email: string;
  userId: string;
  api: ReturnType<typeof apiClient>;
}

function apiClient(appUrl: string, token: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${appUrl}/api/trpc`,
        transformer: superjson,
        headers: { authorization: `Bearer ${token}` },
        fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(10_000) }),
      }),
    ],
  });
}

/** Signs a user up through the app's auth endpoint (as a browser would) and returns an API client with its bearer token. */
export async function signUp(appUrl: string, email: string, username: string): Promise<ChaosUser> {
  const headers = { "content-type": "application/json", origin: appUrl };
  const response = await fetch(`${appUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers,
    body: JSON.stringify({ email, password: "chaos-password-123", name: username, username }),
  });
  const token = response.headers.get("set-auth-token");
  if (!response.ok || !token)
    throw new Error(`sign-up of ${email} failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { user: { id: string } };
  return { email, userId: body.user.id, api: apiClient(appUrl, token) };
}

/** An update's outcome as the caller saw it: acknowledged, refused by the API, or unknown (no answer). */
export type UpdateOutcome = "acknowledged" | "refused" | "unknown";

export async function updateProfile(
  user: ChaosUser,
  input: { username?: string; phoneNumber?: string },
): Promise<UpdateOutcome> {
  try {
    await user.api.user.update.mutate(input);
    return "acknowledged";
  } catch (error) {
    // A 4xx answer is a decision of the app; anything else (5xx, reset, timeout) may or may not have committed.
    if (error instanceof TRPCClientError) {
      const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
      if (status !== undefined && status < 500) return "refused";
    }
    return "unknown";
  }
}
