import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { apiResponseMeta, appRouter, createTRPCContext, limitRequestBody } from "@acme/api";
import { trpcRequestLine } from "~/server/request-log";
import { getServices } from "~/server/services";

export const dynamic = "force-dynamic";

async function handler(req: Request) {
  const started = performance.now();
  const response = await handleTrpc(req);
  console.log(trpcRequestLine(req, response.status, performance.now() - started));
  return response;
}

async function handleTrpc(original: Request) {
  const { db, auth, relay, apiConfig } = getServices();
  const req = limitRequestBody(original, apiConfig.security.api.maxBodyBytes);
  if (req instanceof Response) return req;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    router: appRouter,
    req,
    // A batch over the limit is a 400 before any procedure runs.
    maxBatchSize: apiConfig.security.api.maxBatch,
    responseMeta: apiResponseMeta,
    createContext: () => createTRPCContext({ headers: req.headers, auth, db, relay, config: apiConfig }),
  });
}

export { handler as GET, handler as POST };
