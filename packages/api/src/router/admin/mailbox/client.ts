import { TRPCError } from "@trpc/server";

const TIMEOUT_MS = 5_000;

/** GET a path of the local mailbox's Resend-compatible API; failures become clear tRPC errors. */
export async function mailboxGet<T>(config: { baseUrl: string; apiKey: string }, path: string): Promise<T> {
  const url = `${config.baseUrl}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${config.apiKey}`, accept: "application/json" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") {
      throw new TRPCError({
        code: "GATEWAY_TIMEOUT",
        message: `The local mailbox at ${config.baseUrl} did not answer within ${TIMEOUT_MS / 1000} s`,
      });
    }
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: `The local mailbox at ${config.baseUrl} is unavailable (${describeCause(error)})`,
      cause: error,
    });
  }
  const body = (await response.json().catch(() => null)) as unknown;
  if (response.status === 404)
    throw new TRPCError({ code: "NOT_FOUND", message: errorMessage(body) ?? "Not found in the mailbox" });
  if (!response.ok) {
    throw new TRPCError({
      code: "BAD_GATEWAY",
      message: `The local mailbox answered ${response.status}: ${errorMessage(body) ?? response.statusText}`,
    });
  }
  return body as T;
}

function errorMessage(body: unknown): string | null {
  return body && typeof body === "object" && typeof (body as { message?: unknown }).message === "string"
    ? (body as { message: string }).message
    : null;
}

function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  return cause instanceof Error ? cause.message : String(cause);
}
