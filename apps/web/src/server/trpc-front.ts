import type { IncomingMessage, ServerResponse } from "node:http";
import { payloadTooLarge } from "@acme/api";
import { headersFromNodeRequest } from "@acme/api/node";
import { loadRequestPolicyConfig, type RequestPolicyConfig } from "@acme/config";
import { crossSiteRefusal, ownOrigins } from "./request-guard";
import { contentSecurityPolicy, createNonce, securityHeaders } from "./security-headers";
import { answerTrpc } from "./trpc-handler";
import { getServices } from "./services";

export const TRPC_PATH = "/api/trpc/";

/**
 * /api/trpc answered by the app's own front instead of through Next.js: the same handler, the
 * same checks and headers as `proxy.ts` gives the route, without Next's request adaptation (a
 * fifth of the API's CPU in the profiles, packages/bench/FINDINGS.md). Production only: in
 * development the Next route serves it, so edits to the API reload.
 */
export interface TrpcFrontOptions {
  /** Answers a request whose body is within the limit (or logs `refusal`); the app's tRPC handler by default. */
  answer?: (req: Request, refusal?: Response) => Promise<Response>;
  maxBodyBytes?: number;
  policy?: RequestPolicyConfig;
}

export function createTrpcFront(
  options: TrpcFrontOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const answer = options.answer ?? answerTrpc;
  const policy = options.policy ?? loadRequestPolicyConfig();
  const maxBodyBytes = options.maxBodyBytes ?? getServices().apiConfig.security.api.maxBodyBytes;
  const origins = ownOrigins(policy);
  return async (req, res) => {
    const headers = securityHeaders(contentSecurityPolicy(createNonce(), !policy.production));
    // As Next.js answers OPTIONS for a route that does not define it (no CORS: same-origin API).
    if (req.method === "OPTIONS") {
      await writeResponse(res, new Response(null, { status: 204, headers: { allow: "GET, POST, OPTIONS" } }), headers);
      return;
    }
    const request = await toFetchRequest(req, maxBodyBytes);
    let response: Response;
    if (request instanceof Response) {
      res.setHeader("connection", "close");
      response = await answer(fetchRequest(req), request);
    } else {
      const refusal = crossSiteRefusal(request, origins);
      response = refusal
        ? Response.json({ error: { message: `Cross-site request refused (${refusal})` } }, { status: 403 })
        : await answer(request);
    }
    await writeResponse(res, response, headers);
  };
}

/** The Fetch request the handler takes; a GET or a refused request has no body. */
function fetchRequest(req: IncomingMessage, body?: Uint8Array<ArrayBuffer>): Request {
  return new Request(new URL(req.url ?? "/", "http://front"), {
    method: req.method,
    headers: headersFromNodeRequest(req),
    body,
  });
}

/** The request with its whole body (API bodies are small JSON), or the 413 once it passes `maxBytes`. */
async function toFetchRequest(req: IncomingMessage, maxBytes: number): Promise<Request | Response> {
  if (req.method === "GET" || req.method === "HEAD") return fetchRequest(req);
  if (Number(req.headers["content-length"] ?? "0") > maxBytes) return payloadTooLarge(maxBytes);
  const body = await readBody(req, maxBytes);
  // Buffer.concat allocates a plain ArrayBuffer, never a shared one.
  return body ? fetchRequest(req, body as Uint8Array<ArrayBuffer>) : payloadTooLarge(maxBytes);
}

/** The body, or null once it passes `maxBytes`: the rest is let through unbuffered, and the connection closed after the answer. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= maxBytes) chunks.push(chunk);
      else {
        stop();
        req.resume();
        resolve(null);
      }
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => onError(new Error("the client closed the request before its body ended"));
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}

async function writeResponse(res: ServerResponse, response: Response, extra: Record<string, string>) {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
  // The API's answers are small JSON (no streaming link): written whole, with their length.
  const body = Buffer.from(await response.arrayBuffer());
  res.setHeader("content-length", body.byteLength);
  res.end(body);
}
