import type { IncomingMessage, ServerResponse } from "node:http";

/** An error answer. Bodies are shaped like Mozilla autopush's ({ code, error, message }) unless given. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Another provider's body shape, e.g. Apple's `{ "reason": "BadJwtToken" }`. */
    readonly body?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Not an answer at all: the connection is reset (TCP RST) instead of responding. */
export class ConnectionReset extends Error {
  constructor() {
    super("connection reset by the push service (injected failure)");
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  410: "Gone",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export function sendError(res: ServerResponse, err: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(
    err.body ?? { code: err.status, error: STATUS_TEXT[err.status] ?? "Error", message: err.message },
  );
  res.writeHead(err.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    ...err.headers,
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `Payload exceeds ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req, 64 * 1024)).toString("utf8");
  if (text.trim() === "") return {};
  const value = parseJson(text);
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new HttpError(400, "Body must be a JSON object.");
  return value as Record<string, unknown>;
}

export function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
