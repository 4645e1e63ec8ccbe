/** The error body Resend sends, which its SDK hands back as `error`. */
export interface ResendErrorBody {
  statusCode: number;
  name: string;
  message: string;
}

/**
 * Resend's error catalogue (https://resend.com/docs/api-reference/errors): the name and
 * message each status answers with when nothing more specific is said.
 */
const CATALOGUE: Record<number, Omit<ResendErrorBody, "statusCode">> = {
  400: { name: "validation_error", message: "We found an error with one or more fields in the request." },
  401: { name: "missing_api_key", message: "Missing API key in the authorization header." },
  403: { name: "invalid_api_key", message: "API key is invalid." },
  404: { name: "not_found", message: "The requested endpoint does not exist." },
  405: { name: "method_not_allowed", message: "Method is not allowed for the requested path." },
  409: {
    name: "concurrent_idempotent_requests",
    message: "Same idempotency key used while original request is still in progress.",
  },
  422: { name: "validation_error", message: "We found an error with one or more fields in the request." },
  429: { name: "rate_limit_exceeded", message: rateLimitMessage(2) },
  500: { name: "internal_server_error", message: "An unexpected error occurred." },
};

export function rateLimitMessage(perSecond: number): string {
  return `Too many requests. You can only make ${perSecond} requests per second. See rate limit response headers for more information. Or contact support to increase rate limit.`;
}

export function defaultError(status: number): Omit<ResendErrorBody, "statusCode"> {
  return (
    CATALOGUE[status] ??
    (status >= 500
      ? {
          name: "application_error",
          message: "Internal server error. We are unable to process your request right now, please try again later.",
        }
      : { name: "validation_error", message: "The request could not be processed." })
  );
}

/** An answer in Resend's error shape, with the headers that go with it. */
export class HttpError extends Error {
  constructor(
    readonly body: ResendErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

export const fail = (statusCode: number, name: string, message: string): HttpError =>
  new HttpError({ statusCode, name, message });

/** Not an answer at all: the connection is reset (TCP RST) instead of responding. */
export class ConnectionReset extends Error {
  constructor() {
    super("connection reset by the mailbox (injected failure)");
  }
}
