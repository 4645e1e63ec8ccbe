import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fail } from "./errors";

const MAX_BODY_BYTES = 40 * 1024 * 1024;

/** The JSON body and a hash of it that ignores key order, to compare idempotent requests. */
export async function readJson(req: IncomingMessage): Promise<{ body: unknown; hash: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw fail(413, "validation_error", "The request body exceeds the 40MB limit.");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  let body: unknown;
  try {
    body = text.length === 0 ? undefined : JSON.parse(text);
  } catch {
    throw fail(400, "validation_error", "The request body is not valid JSON.");
  }
  return { body, hash: createHash("sha256").update(canonicalJson(body)).digest("hex") };
}

/** JSON with sorted keys, so key order does not make two equal payloads differ. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function respond(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}
