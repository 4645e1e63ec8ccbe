import { NonRetriableError, RetryAfterError, type Logger } from "inngest";

/** A provider answered with a failure worth retrying: expected, logged in one line. */
export class ProviderFailure extends Error {
  override name = "ProviderFailure";
}

/**
 * Failures the functions expect and handle: a provider's error, and the SDK's own control flow
 * (retry later, do not retry). Anything else is a bug or an outage and keeps its stack.
 */
export function isExpectedFailure(error: unknown): boolean {
  return (
    error instanceof ProviderFailure ||
    error instanceof RetryAfterError ||
    error instanceof NonRetriableError ||
    (error instanceof Error && error.cause instanceof ProviderFailure)
  );
}

/** What one SDK log call prints: one line, plus the stack only for an unexpected error. */
export function formatLogCall(args: unknown[]): string {
  // The SDK logs pino-style: ({ err, …fields }, "message").
  const [first, ...rest] = args;
  const fields = first && typeof first === "object" && !(first instanceof Error) ? (first as { err?: unknown }) : null;
  const error = fields ? fields.err : first instanceof Error ? first : undefined;
  const words = (fields || first instanceof Error ? rest : args).map((arg) =>
    typeof arg === "string" ? arg : JSON.stringify(arg),
  );
  if (!(error instanceof Error)) return words.join(" ");
  const line = `${words.join(" ")}${words.length ? ": " : ""}${error.name}: ${error.message}`;
  return isExpectedFailure(error) ? line : `${line}\n${error.stack ?? ""}`;
}

/** The Inngest SDK's logger: one line per expected failure, stacks only for the unexpected. */
export function createJobsLogger(out: Pick<Console, "info" | "warn" | "error"> = console): Logger {
  const prefix = "[jobs]";
  return {
    info: (...args) => out.info(prefix, formatLogCall(args)),
    warn: (...args) => out.warn(prefix, formatLogCall(args)),
    error: (...args) => out.error(prefix, formatLogCall(args)),
    // The SDK's debug chatter (memoization, step planning) is not for a person's terminal.
    debug: () => {},
  };
}
