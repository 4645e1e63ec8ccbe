import type { IncomingMessage, ServerResponse } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { toNodeHandler } from "better-auth/node";
import { applyClientAddress } from "@acme/auth/ip";
import { apiResponseMeta } from "./http";
import { appRouter } from "./root";
import { createTRPCContext } from "./trpc";

type ApiOptions = Omit<Parameters<typeof createTRPCContext>[0], "headers">;

/** A Node request's headers as Fetch `Headers`. */
export function headersFromNodeRequest(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(key, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(key, item);
  }
  return headers;
}

/**
 * The API on a plain Node server, mounted as the Next.js app mounts it: better-auth under
 * /api/auth, tRPC under /api/trpc. Used by the typed-client tests and the delivery harness.
 */
export function createNodeApiHandler(options: ApiOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const authHandler = toNodeHandler(options.auth);
  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    responseMeta: apiResponseMeta,
    // Refused with 400 / 413 before any procedure runs.
    maxBatchSize: options.config.security.api.maxBatch,
    maxBodySize: options.config.security.api.maxBodyBytes,
    createContext: ({ req }) => createTRPCContext({ ...options, headers: headersFromNodeRequest(req) }),
  });
  return (req, res) => {
    // This server sees the socket: it is the front that says who the client is.
    applyClientAddress(req, options.config.security.trustedProxies);
    if (req.url?.startsWith("/api/auth")) void authHandler(req, res);
    else void trpcHandler(req, res);
  };
}
