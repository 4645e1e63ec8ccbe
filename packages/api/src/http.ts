import type { TRPCError } from "@trpc/server";
import { RateLimitedError } from "./trpc";

/** Response headers for an API answer: Retry-After when a limit was reached. */
export function apiResponseMeta({ errors }: { errors: TRPCError[] }): { headers?: Record<string, string> } {
  const waits = errors.map((error) => error.cause).filter((cause) => cause instanceof RateLimitedError);
  if (waits.length === 0) return {};
  return { headers: { "retry-after": String(Math.max(...waits.map((cause) => cause.retryAfterSeconds))) } };
}

/**
 * The request with its body capped at `maxBytes` (413 past it, before the router reads a byte more),
 * or the 413 answer itself when Content-Length already says too much.
 */
export function limitRequestBody(req: Request, maxBytes: number): Request | Response {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return payloadTooLarge(maxBytes);
  if (!req.body) return req;
  let seen = 0;
  const capped = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) controller.error(new PayloadTooLargeError(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(req, { body: capped, duplex: "half" } as RequestInit);
}

/** The 413 answer for a body over `maxBytes`. */
export function payloadTooLarge(maxBytes: number): Response {
  return Response.json(
    { error: { message: `Request body over ${maxBytes} bytes`, code: "PAYLOAD_TOO_LARGE" } },
    { status: 413 },
  );
}

export class PayloadTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`Request body over ${maxBytes} bytes`);
  }
}
