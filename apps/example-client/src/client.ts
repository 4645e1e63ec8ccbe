import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createAuthClient } from "better-auth/client";
import superjson from "superjson";
import type { AppRouter } from "@acme/api";

/** Signs in with email and password and returns the bearer token for API calls. */
export async function signIn(apiUrl: string, email: string, password: string): Promise<string> {
  // Browsers send Origin on their own; the auth server's CSRF check expects it from us too.
  const authClient = createAuthClient({
    baseURL: `${apiUrl}/api/auth`,
    fetchOptions: { headers: { origin: new URL(apiUrl).origin } },
  });
  let token: string | null = null;
  const { error } = await authClient.signIn.email(
    { email, password },
    { onSuccess: (ctx) => void (token = ctx.response.headers.get("set-auth-token")) },
  );
  if (error) throw new Error(`Sign-in failed: ${error.message ?? error.statusText}`);
  if (!token) throw new Error("Sign-in succeeded but the server sent no bearer token");
  return token;
}

/** A fully typed client of the API, authenticated with a bearer token. */
export function createApiClient(apiUrl: string, token: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${apiUrl}/api/trpc`,
        transformer: superjson,
        headers: () => ({ authorization: `Bearer ${token}` }),
      }),
    ],
  });
}

export function isApiError(error: unknown): error is TRPCClientError<AppRouter> {
  return error instanceof TRPCClientError;
}

/** What went wrong, in words a person running the example can act on. */
export function describeFailure(error: unknown, apiUrl: string): string {
  if (isApiError(error)) {
    const fields = error.data?.fieldErrors ? `\n${JSON.stringify(error.data.fieldErrors, null, 2)}` : "";
    return `${error.data?.code ?? "ERROR"}: ${error.message}${fields}`;
  }
  const cause = (error as { cause?: { code?: string } } | null)?.cause;
  if (cause?.code === "ECONNREFUSED" || cause?.code === "ENOTFOUND") {
    return `Could not reach the API at ${apiUrl} (${cause.code}). Is the app running (\`pnpm dev\`)? Set API_URL to call another address.`;
  }
  return error instanceof Error ? error.message : String(error);
}
