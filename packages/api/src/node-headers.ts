import type { IncomingMessage } from "node:http";

/** A Node request's headers as Fetch `Headers`, for hosting the API on a plain Node server. */
export function headersFromNodeRequest(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(key, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(key, item);
  }
  return headers;
}
